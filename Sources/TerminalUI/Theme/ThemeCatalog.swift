import Foundation

/// Finds theme files (`NAME.theme`) in a list of folders; earlier folders win.
public struct ThemeCatalog: Sendable {
    /// One theme file and whether it parses.
    public struct Entry: Sendable {
        public var name: String
        public var path: String
        public var result: Result<Theme, ThemeError>
    }

    public var directories: [String]

    public init(directories: [String]) { self.directories = directories }

    /// The usual places: `$TAPIR_THEMES`, `./themes`, `themes/` next to the executable and
    /// `../share/tapir/themes` relative to it.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment,
                                executablePath: String = CommandLine.arguments.first ?? "") -> ThemeCatalog {
        var dirs: [String] = []
        if let custom = environment["TAPIR_THEMES"], !custom.isEmpty { dirs.append(custom) }
        dirs.append(FileManager.default.currentDirectoryPath + "/themes")
        let exeDir = (executablePath as NSString).deletingLastPathComponent
        if !exeDir.isEmpty {
            dirs.append(exeDir + "/themes")
            dirs.append(exeDir + "/../share/tapir/themes")
        }
        return ThemeCatalog(directories: dirs)
    }

    /// Every theme file found, by name (the first folder holding a name wins), parsed.
    public func entries() -> [Entry] {
        var seen = Set<String>()
        var out: [Entry] = []
        for dir in directories {
            guard let files = try? FileManager.default.contentsOfDirectory(atPath: dir) else { continue }
            for file in files.sorted() where file.hasSuffix(".theme") {
                let name = String(file.dropLast(".theme".count))
                guard seen.insert(name).inserted else { continue }
                let path = (dir as NSString).appendingPathComponent(file)
                let result: Result<Theme, ThemeError>
                do { result = .success(try Theme.load(path: path)) } catch { result = .failure(error) }
                out.append(Entry(name: name, path: path, result: result))
            }
        }
        return out
    }

    /// Loads a theme by name (`default` is built in when no file overrides it), or from a
    /// path when `name` contains `/` or ends in `.theme`.
    /// - Throws: `ThemeError` when no such theme exists or its file is broken.
    public func load(name: String) throws(ThemeError) -> Theme {
        if name.contains("/") || name.hasSuffix(".theme") { return try Theme.load(path: name) }
        for dir in directories {
            let path = (dir as NSString).appendingPathComponent(name + ".theme")
            if FileManager.default.fileExists(atPath: path) { return try Theme.load(path: path) }
        }
        if name == "default" { return .builtinDefault }
        let known = entries().map(\.name).joined(separator: ", ")
        throw ThemeError(source: name, line: 0, reason: "no theme named `\(name)`; available: \(known.isEmpty ? "default" : known)")
    }
}
