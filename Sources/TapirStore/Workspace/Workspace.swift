import Foundation
import TapirCore

/// A workspace folder: `tapir.yaml`, `tapir.sqlite`, `exports/`, `logs/` (and optionally
/// `prompts/`).
public struct Workspace: Sendable, Hashable {
    public static let configFileName = "tapir.yaml"
    public static let databaseFileName = "tapir.sqlite"
    public static let lockFileName = ".tapir.lock"

    /// The workspace folder.
    public let root: URL

    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    public var configURL: URL { root.appendingPathComponent(Self.configFileName) }
    public var databaseURL: URL { root.appendingPathComponent(Self.databaseFileName) }
    public var exportsURL: URL { root.appendingPathComponent("exports", isDirectory: true) }
    public var logsURL: URL { root.appendingPathComponent("logs", isDirectory: true) }
    /// Optional prompt template overrides.
    public var promptsURL: URL { root.appendingPathComponent("prompts", isDirectory: true) }
    public var lockURL: URL { root.appendingPathComponent(Self.lockFileName) }

    /// `exports/round-N/`.
    public func exportURL(round: Int) -> URL {
        exportsURL.appendingPathComponent("round-\(round)", isDirectory: true)
    }

    /// The workspace at `explicit` when given (it must hold `tapir.yaml`), otherwise the
    /// nearest folder from `start` upward that holds `tapir.yaml`.
    public static func locate(explicit: String?, from start: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) throws(WorkspaceError) -> Workspace {
        if let explicit {
            let url = URL(fileURLWithPath: (explicit as NSString).expandingTildeInPath, relativeTo: start).standardizedFileURL
            let workspace = Workspace(root: url)
            guard FileManager.default.fileExists(atPath: workspace.configURL.path) else {
                throw .notAWorkspace(path: url.path)
            }
            return workspace
        }
        var folder = start.standardizedFileURL
        while true {
            let candidate = Workspace(root: folder)
            if FileManager.default.fileExists(atPath: candidate.configURL.path) { return candidate }
            let parent = folder.deletingLastPathComponent().standardizedFileURL
            if parent.path == folder.path { break }
            folder = parent
        }
        throw .notFound(start: start.path)
    }

    /// Creates the folder layout and a default `tapir.yaml` (kept when it exists and
    /// `overwriteConfig` is false), then creates and migrates the database.
    @discardableResult
    public static func create(at root: URL, overwriteConfig: Bool = false) throws -> Workspace {
        let workspace = Workspace(root: root)
        let fm = FileManager.default
        for folder in [workspace.root, workspace.exportsURL, workspace.logsURL] {
            try fm.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        if overwriteConfig || !fm.fileExists(atPath: workspace.configURL.path) {
            try ConfigTemplate.text.write(to: workspace.configURL, atomically: true, encoding: .utf8)
        }
        _ = try workspace.openStore()
        return workspace
    }

    /// Loads and validates `tapir.yaml`.
    public func loadConfig() throws(ConfigError) -> TapirConfig {
        try WorkspaceConfigLoader.load(contentsOf: configURL)
    }

    /// Opens (and migrates) `tapir.sqlite`.
    public func openStore() throws -> WorkspaceStore {
        try WorkspaceStore(path: databaseURL.path)
    }

    /// Takes the one-engine-per-workspace lock; see `WorkspaceLock`.
    public func acquireEngineLock() throws(WorkspaceError) -> WorkspaceLock {
        try WorkspaceLock.acquire(at: lockURL)
    }
}

/// Problems finding or locking a workspace.
public enum WorkspaceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No `tapir.yaml` from `start` upward.
    case notFound(start: String)
    /// `--workspace` names a folder without `tapir.yaml`.
    case notAWorkspace(path: String)
    /// Another engine holds the lock.
    case locked(path: String, holder: String)
    /// The lock file cannot be opened.
    case lockFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .notFound(start):
            return "no tapir workspace (tapir.yaml) in \(start) or any folder above it; run `tapir init DIR` or pass --workspace DIR"
        case let .notAWorkspace(path):
            return "\(path) is not a tapir workspace (no tapir.yaml); run `tapir init \(path)` first"
        case let .locked(path, holder):
            return "another engine is running on this workspace (\(holder)); stop it first, or attach a dashboard with `tapir dashboard` (lock: \(path))"
        case let .lockFailed(path, reason):
            return "cannot open the workspace lock \(path): \(reason)"
        }
    }
}
