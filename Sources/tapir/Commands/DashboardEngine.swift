import Foundation
import TapirCore
import TapirDashboard
import TapirEngine
import TapirStore

/// The curriculum engine inside the dashboard process (`tapir` alone): the same
/// `RoundRunner` and stages as `tapir run`, on a background task, holding the workspace's
/// engine lock until `stop()`.
///
/// When a run pauses or waits (expansions pending approval, `:pause`, a budget), the
/// session watches the store once a second and runs again as soon as a human decision
/// changes something (a review, a resume, a control key), so approving in the Review screen
/// lets the engine carry on. A run that failed because an endpoint role is paused (after
/// repeated failures) waits the same way; once `:resume` (or `tapir resume`) cleared the
/// role, the engine rebuilds its model clients from the stored health and goes on.
/// `stop()` cancels the run: the stage in flight abandons the
/// items not yet stored (the runner leaves it `pending`), everything stored stays.
final class DashboardEngine: @unchecked Sendable {
    private enum Phase: Equatable {
        case starting
        case running
        case waiting(String)
        case finished(String)
        case failed(String)
    }

    private let lock: WorkspaceLock
    private let store: WorkspaceStore
    private let mutex = NSLock()
    private var phase = Phase.starting
    private var task: Task<Void, Never>?

    private init(lock: WorkspaceLock, store: WorkspaceStore) {
        self.lock = lock
        self.store = store
    }

    /// Takes the engine lock and starts the engine in the background.
    /// - Throws: `WorkspaceError.locked` when another process runs an engine on the workspace.
    static func start(workspace: Workspace, config: TapirConfig, store: WorkspaceStore) throws(WorkspaceError) -> DashboardEngine {
        let lock = try workspace.acquireEngineLock()
        let engine = DashboardEngine(lock: lock, store: store)
        engine.task = Task.detached(priority: .utility) {
            await engine.runLoop(workspace: workspace, config: config)
        }
        return engine
    }

    /// What the status bar shows.
    var status: EngineStatus {
        mutex.lock()
        defer { mutex.unlock() }
        switch phase {
        case .starting: return EngineStatus(host: .thisProcess, note: "engine starting")
        case .running: return EngineStatus(host: .thisProcess, note: "engine in this process")
        case .waiting(let reason): return EngineStatus(host: .thisProcess, waiting: true, note: Self.waitingNote(reason))
        case .finished: return EngineStatus(host: .none, note: "engine done")
        case .failed(let why): return EngineStatus(host: .none, note: "engine failed: \(Self.short(why))")
        }
    }

    /// A one-line summary for the terminal after the dashboard closed.
    var summary: String {
        mutex.lock()
        defer { mutex.unlock() }
        switch phase {
        case .starting, .running: return "stopped"
        case .waiting(let reason): return "stopped while waiting: \(reason)"
        case .finished(let why): return why
        case .failed(let why): return "failed: \(why)"
        }
    }

    /// Cancels the run and waits up to `timeout` seconds for the stage in flight to stop, then
    /// releases the lock. Returns false when the engine was still busy (a native model still
    /// loading, a forward pass that does not look at cancellation): the caller then exits
    /// anyway — every finished item is stored, the unfinished ones are redone by the next run.
    /// The default outlasts a trainer's grace period (SIGTERM, then SIGKILL), so a trainer that
    /// ignores SIGTERM is ended before the dashboard exits, not only by the next engine start.
    func stop(timeout: Double = TrainerRunner.defaultGracePeriod + 5) async -> Bool {
        guard let task else { return true }
        task.cancel()
        let once = Once()
        let stopped = await withCheckedContinuation { (done: CheckedContinuation<Bool, Never>) in
            Task.detached { await task.value; if once.claim() { done.resume(returning: true) } }
            Task.detached {
                try? await Task.sleep(nanoseconds: UInt64(timeout * 1_000_000_000))
                if once.claim() { done.resume(returning: false) }
            }
        }
        if stopped { lock.release() }
        return stopped
    }

    /// True for the first caller only.
    private final class Once: @unchecked Sendable {
        private let lock = NSLock()
        private var claimed = false
        func claim() -> Bool {
            lock.lock()
            defer { lock.unlock() }
            if claimed { return false }
            claimed = true
            return true
        }
    }

    private func set(_ new: Phase) {
        mutex.lock()
        phase = new
        mutex.unlock()
    }

    /// A runner whose model clients start from the stored role health.
    private func makeRunner(workspace: Workspace, config: TapirConfig) async throws -> RoundRunner {
        let models = try await EngineModelsFactory.make(config: config, store: store)
        let prompts = FileManager.default.fileExists(atPath: workspace.promptsURL.path)
            ? try PromptLibrary(overridesDirectory: workspace.promptsURL) : PromptLibrary()
        let context = EngineContext(workspace: workspace, store: store, config: config, models: models, prompts: prompts)
        return RoundRunner(context: context, stages: EngineStages.all)
    }

    private func runLoop(workspace: Workspace, config: TapirConfig) async {
        var runner: RoundRunner
        do {
            runner = try await makeRunner(workspace: workspace, config: config)
        } catch {
            let message = String(describing: error)
            try? store.log(.error, source: "engine", "the engine could not start: \(message)")
            set(.failed(message))
            return
        }
        try? store.log(.info, source: "engine", "engine started in the dashboard process (pid \(getpid()))")
        while !Task.isCancelled {
            set(.running)
            let before = decisionsFingerprint()
            let outcome = await runner.run()
            // A cancelled run left its stage `pending`; everything stored stays.
            if Task.isCancelled { return }
            let pausedRoles = storedPausedRoles()
            switch outcome {
            case .done:
                try? store.log(.info, source: "engine", "all rounds done")
                set(.finished("all rounds done"))
                return
            case .failed(let error) where pausedRoles.isEmpty:
                set(.failed(error))
                return
            case .failed:
                // A role paused after repeated failures: wait for `:resume` (or `tapir resume`).
                set(.waiting("role \(pausedRoles.joined(separator: ", ")) paused"))
                await waitForDecision(since: before, pausedRoles: pausedRoles)
            case .paused(let reason), .waiting(let reason):
                set(.waiting(reason))
                await waitForDecision(since: before, pausedRoles: pausedRoles)
            }
            if Task.isCancelled { return }
            // The clients keep their role's pause in memory: once a resume cleared a paused
            // role, start again from the stored health.
            if !pausedRoles.isEmpty, storedPausedRoles() != pausedRoles {
                do {
                    runner = try await makeRunner(workspace: workspace, config: config)
                } catch {
                    let message = String(describing: error)
                    try? store.log(.error, source: "engine", "the engine could not restart its models: \(message)")
                    set(.failed(message))
                    return
                }
            }
        }
    }

    /// Returns once a human decision changed something the run was waiting on (a control key
    /// or review since `before`, or the set of paused roles), or on cancellation.
    private func waitForDecision(since before: String, pausedRoles: [String]) async {
        while !Task.isCancelled {
            try? await Task.sleep(nanoseconds: 1_000_000_000)
            if decisionsFingerprint() != before || storedPausedRoles() != pausedRoles { return }
        }
    }

    /// The endpoint roles stored as paused, sorted.
    private func storedPausedRoles() -> [String] {
        ((try? store.roleHealth()) ?? []).filter(\.isPaused).map(\.role.rawValue).sorted()
    }

    /// The human decisions the engine reads: control keys and the review states of expansions.
    private func decisionsFingerprint() -> String {
        (try? store.read { reader in
            let controls = try reader.controls().map { "\($0.key.rawValue)=\($0.value)" }.sorted()
            let reviews = try reader.expansionCounts().map { "\($0.key.rawValue)=\($0.value)" }.sorted()
            return (controls + reviews).joined(separator: ";")
        }) ?? ""
    }

    /// A few words for the status bar; the full reason is in the Logs screen.
    private static func waitingNote(_ reason: String) -> String {
        if reason.hasPrefix("role ") { return "engine waits for :resume" }
        if reason.contains("approval") { return "engine waits for approvals" }
        if reason.contains("paused") || reason.contains("stopped after") { return "engine paused" }
        if reason.contains("budget") { return "engine waits: budget" }
        return "engine waits"
    }

    private static func short(_ text: String) -> String {
        text.count > 40 ? String(text.prefix(39)) + "…" : text
    }
}
