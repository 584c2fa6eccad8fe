import ArgumentParser
import Foundation
import TapirCore
import TapirDashboard
import TapirEngine
import TapirStore
import TerminalUI

/// `tapir dashboard` (and `tapir` alone): the ncurses dashboard on a workspace. When no
/// engine holds the workspace it starts one in this process; otherwise it attaches to the
/// engine running elsewhere (`tapir run`) and says so in the status bar.
struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Open the dashboard on a workspace; runs the engine in-process unless one already runs.",
        discussion: """
            With no engine on the workspace, the dashboard runs the curriculum engine in this process \
            (quitting stops it after the item in flight). With --attach-only, or when another process \
            (`tapir run`) holds the workspace, it only watches and writes human decisions.
            """)

    @Option(help: "Workspace folder (default: the nearest folder with tapir.yaml).")
    var workspace: String?

    @Option(help: "Theme name or file, overriding dashboard.theme in tapir.yaml.")
    var theme: String?

    @Flag(name: [.customLong("attach-only"), .customLong("no-engine")],
          help: "Never start the engine in this process; only watch the workspace.")
    var attachOnly = false

    @Flag(help: "Print the key reference as markdown and exit.")
    var keys = false

    func run() async throws {
        if keys {
            print(DashboardKeymap.standard.markdownReference(), terminator: "")
            return
        }
        let ws = try Workspace.locate(explicit: workspace)
        do { try DashboardRunner.requireTerminal() } catch {
            printError("tapir: \(error)")
            throw ExitCode.failure
        }
        var notices: [String] = []
        var config: TapirConfig?
        do { config = try ws.loadConfig() } catch { notices.append("tapir.yaml: \(error)") }
        let store = try ws.openStore()
        let shares = Dictionary((config?.taxonomy.categories ?? []).map { ($0.name, $0.targetShare) }, uniquingKeysWith: { a, _ in a })
        try FileManager.default.createDirectory(at: ws.logsURL, withIntermediateDirectories: true)
        let ring = LogRing(capacity: 500)
        DashboardLogHandler.bootstrap(path: ws.logsURL.appendingPathComponent("dashboard.log").path, ring: ring,
                                      level: config?.logging.level ?? .info)

        var started: DashboardEngine?
        if !attachOnly, let config {
            do {
                try config.checkAPIKeys(in: ProcessInfo.processInfo.environment)
                started = try DashboardEngine.start(workspace: ws, config: config, store: store)
            } catch WorkspaceError.locked {
                // Another process runs the engine: attach (the status bar says so).
            } catch {
                notices.append("engine not started: \(error)")
            }
        }
        let engine = started
        let lockURL = ws.lockURL
        let status: @Sendable () -> EngineStatus = {
            // The in-process engine keeps the lock until the dashboard closes.
            if let engine { return engine.status }
            guard EngineProbe.isLocked(lockURL) else { return .idle }
            return EngineStatus(host: .otherProcess, note: "attached to \(EngineProbe.holder(lockURL) ?? "another process")")
        }
        let outcome: Result<Void, Error>
        do {
            try await DashboardRunner.run(
                store: store, workspaceName: ws.root.lastPathComponent, engineStatus: status, logRing: ring,
                dashboard: config?.dashboard ?? .defaults, themeOverride: theme, targetShares: shares,
                logPath: ws.logsURL.appendingPathComponent("dashboard-stderr.log").path, notices: notices)
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        if let engine {
            print("tapir: stopping the engine…")
            let timeout = TrainerRunner.defaultGracePeriod + 5
            if await engine.stop(timeout: timeout) {
                print("tapir: engine \(engine.summary)")
            } else {
                try? store.log(.warning, source: "engine", "the engine did not stop within \(Int(timeout)) s; the dashboard exits anyway")
                print("tapir: the engine did not stop within \(Int(timeout)) s; exiting anyway (stored work is kept, unfinished items are redone by the next run)")
            }
        }
        try outcome.get()
    }
}
