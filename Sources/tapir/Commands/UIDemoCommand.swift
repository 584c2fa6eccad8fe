import ArgumentParser
import Foundation
import TapirCore
import TapirDashboard
import TapirStore
import TerminalUI

/// `tapir ui-demo` (hidden): the dashboard on a throw-away database filled with a small
/// demo history, for trying the interface and for the terminal smoke test.
struct UIDemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ui-demo", abstract: "Open the dashboard on a generated demo history.", shouldDisplay: false)

    @Option(help: "Theme name.")
    var theme: String?

    @Option(help: "Keep the demo database at this path instead of a temporary file.")
    var database: String?

    @Flag(help: "Pretend an engine is running (quit asks for confirmation).")
    var engineRunning = false

    @Option(help: "Print every screen as plain text at WIDTHxHEIGHT (e.g. 120x40) and exit, without a terminal.")
    var printScreens: String?

    func run() async throws {
        let path = database ?? NSTemporaryDirectory() + "tapir-ui-demo-\(getpid()).sqlite"
        let fresh = !FileManager.default.fileExists(atPath: path)
        let store = try WorkspaceStore(path: path)
        if fresh { try DemoWorkspaceSeeder.seed(store) }
        defer {
            if database == nil {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
        }
        let running = engineRunning
        if let size = printScreens {
            let parts = size.split(separator: "x").compactMap { Int($0) }
            guard parts.count == 2, parts[0] >= 20, parts[1] >= 6 else {
                throw ValidationError("--print-screens wants WIDTHxHEIGHT, e.g. 120x40")
            }
            let controller = DashboardController(store: store, workspaceName: "demo", state: DashboardState(),
                                                 catalog: ThemeCatalog(directories: []),
                                                 targetShares: Dictionary(uniqueKeysWithValues: DemoWorkspaceSeeder.categories.map { ($0, 0.2) }),
                                                 isEngineRunning: { running })
            controller.reload()
            for screen in Screen.allCases {
                _ = controller.handle(.key(.char(Character(String(screen.rawValue)))))
                print("### \(screen.rawValue) \(screen.title)\n\n```")
                print(controller.render(width: parts[0], height: parts[1]).plainText())
                print("```\n")
            }
            return
        }
        try await DashboardRunner.run(
            store: store, workspaceName: "demo", engineStatus: { running ? EngineStatus(host: .otherProcess, note: "demo engine") : .idle }, dashboard: .defaults, themeOverride: theme,
            targetShares: Dictionary(uniqueKeysWithValues: DemoWorkspaceSeeder.categories.map { ($0, 0.2) }),
            logPath: nil)
    }
}
