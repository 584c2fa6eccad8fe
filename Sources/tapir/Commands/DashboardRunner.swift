import CursesBackend
import Foundation
import TapirCore
import TapirDashboard
import TapirStore
import TerminalUI

/// Composition of the dashboard: terminal backend + controller + store.
enum DashboardRunner {
    /// Opens the dashboard on `store` until the user quits. The UI loop runs on its own
    /// thread (the only one that touches ncurses), so the caller's cooperative thread stays
    /// free for in-process engine work. Problems that are not fatal (broken theme,
    /// conflicting key overrides) are shown in the status bar.
    static func run(store: WorkspaceStore, workspaceName: String, engineStatus: @escaping @Sendable () -> EngineStatus, logRing: LogRing? = nil,
                    dashboard: DashboardConfig, themeOverride: String?, targetShares: [String: Double],
                    logPath: String?, notices: [String] = []) async throws {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, Error>) in
            let thread = Thread {
                do {
                    try runOnCurrentThread(store: store, workspaceName: workspaceName, engineStatus: engineStatus, logRing: logRing,
                                           dashboard: dashboard, themeOverride: themeOverride, targetShares: targetShares,
                                           logPath: logPath, notices: notices)
                    done.resume()
                } catch {
                    done.resume(throwing: error)
                }
            }
            thread.name = "tapir-ui"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// Fails early (before an engine starts) when stdin or stdout is not a terminal.
    static func requireTerminal() throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw CursesError.notATerminal }
    }

    /// The UI loop itself; blocks the calling thread until the user quits.
    static func runOnCurrentThread(store: WorkspaceStore, workspaceName: String, engineStatus: @escaping @Sendable () -> EngineStatus, logRing: LogRing? = nil,
                                   dashboard: DashboardConfig, themeOverride: String?, targetShares: [String: Double],
                                   logPath: String?, notices: [String] = []) throws {
        let terminal = try CursesTerminal(options: .init(mouse: dashboard.mouse, stderrPath: logPath))
        defer { terminal.close() }
        var problems = notices
        var keymap = DashboardKeymap.standard
        if !dashboard.keys.isEmpty {
            let overrides = dashboard.keys.mapValues { $0.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init) }
            do {
                let (map, conflicts) = try keymap.applying(overrides: overrides)
                keymap = map
                problems += conflicts.map { "keys: \($0)" }
            } catch {
                problems.append(error.description)
            }
        }
        let catalog = ThemeCatalog.standard()
        var theme = Theme.builtinDefault
        do { theme = try catalog.load(name: themeOverride ?? dashboard.theme) } catch { problems.append(error.description) }
        var state = DashboardState(keymap: keymap, theme: theme, colorDepth: terminal.colorDepth)
        state.error = problems.isEmpty ? nil : problems.joined(separator: " · ")
        let controller = DashboardController(
            store: store, workspaceName: workspaceName, state: state, catalog: catalog, targetShares: targetShares,
            logRing: logRing, engineStatus: engineStatus)
        controller.reload()
        let waker = terminal.waker
        controller.wakeUI = { waker.wake() }
        terminal.run(tickMilliseconds: 500, handle: { event in
            let keepGoing = controller.handle(event)
            if controller.needsFullRedraw { terminal.invalidate() }
            return keepGoing
        }, render: { width, height in
            controller.render(width: width, height: height)
        })
    }
}

/// Whether another process holds a workspace's engine lock, without touching the lock
/// (probing with flock could make a starting engine fail).
enum EngineProbe {
    static func isLocked(_ url: URL) -> Bool {
        guard let attrs = try? FileManager.default.attributesOfItem(atPath: url.path),
              let inode = (attrs[.systemFileNumber] as? NSNumber)?.uint64Value else { return false }
        // Linux lists every flock in /proc/locks as "... FLOCK ADVISORY WRITE pid maj:min:inode ...".
        guard let locks = try? String(contentsOfFile: "/proc/locks", encoding: .utf8) else { return false }
        for line in locks.split(separator: "\n") where line.contains("FLOCK") {
            let fields = line.split(separator: " ")
            if fields.contains(where: { $0.hasSuffix(":\(inode)") && $0.split(separator: ":").count == 3 }) { return true }
        }
        return false
    }
}

extension EngineProbe {
    /// Who holds the lock, as the holder wrote it ("pid 123"), or nil.
    static func holder(_ url: URL) -> String? {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
        let line = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return line.isEmpty ? nil : "engine \(line)"
    }
}
