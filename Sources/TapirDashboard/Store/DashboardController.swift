import Foundation
import TapirCore
import TapirStore
import TerminalUI

/// Connects the pure dashboard core to a workspace store: performs effects (human
/// decisions, pause, δ, theme changes) and reloads data. Lives on the UI thread.
public final class DashboardController {
    public private(set) var state: DashboardState
    public let store: WorkspaceStore
    public var query: DashboardQuery
    public let catalog: ThemeCatalog
    private let workspaceName: String
    private let targetShares: [String: Double]
    private let engineStatus: () -> EngineStatus
    /// This process's recent log lines, shown on the Logs screen with the engine events.
    public let logRing: LogRing?
    /// Set when the terminal must be repainted from scratch.
    public private(set) var needsFullRedraw = false
    /// When set, periodic reloads run on a background queue and this is called (from that
    /// queue) when fresh data waits; the UI thread then receives `.wake` and installs it.
    /// When nil, reloads run synchronously (tests, benchmarks).
    public var wakeUI: (@Sendable () -> Void)?
    private let mailbox = LoadMailbox()
    /// Detail requested while the selection was moving fast; loaded on the next tick.
    private var pendingDetail: Int64?
    private var lastDetailRequest = Date.distantPast
    private var backgroundLoadRunning = false

    /// - Parameters:
    ///   - engineStatus: asked on every reload (on the UI thread): where the engine runs and what it does.
    ///   - logRing: this process's recent log lines for the Logs screen, if any.
    public init(store: WorkspaceStore, workspaceName: String, state: DashboardState, catalog: ThemeCatalog,
                targetShares: [String: Double] = [:], logRing: LogRing? = nil,
                engineStatus: @escaping () -> EngineStatus) {
        self.store = store
        self.workspaceName = workspaceName
        self.state = state
        self.catalog = catalog
        self.targetShares = targetShares
        self.logRing = logRing
        self.engineStatus = engineStatus
        query = DashboardQuery(screens: [state.screen])
    }

    /// - Parameters:
    ///   - isEngineRunning: asked on every reload (e.g. whether another process holds the engine lock).
    public convenience init(store: WorkspaceStore, workspaceName: String, state: DashboardState, catalog: ThemeCatalog,
                            targetShares: [String: Double] = [:], isEngineRunning: @escaping () -> Bool) {
        self.init(store: store, workspaceName: workspaceName, state: state, catalog: catalog, targetShares: targetShares,
                  engineStatus: { isEngineRunning() ? EngineStatus(host: .otherProcess) : .idle })
    }

    /// One snapshot of everything the query asks for, with the engine status and this
    /// process's log lines merged in. Safe on any thread.
    static func load(store: WorkspaceStore, query: DashboardQuery, workspaceName: String, engine: EngineStatus,
                     targetShares: [String: Double], logRing: LogRing?) throws -> DashboardData {
        var data = try store.read {
            try DashboardLoader.load($0, query: query, workspaceName: workspaceName, engineRunning: engine.running,
                                     targetShares: targetShares)
        }
        data.engine = engine
        if let logRing, query.screens?.contains(.logs) ?? true {
            data.logs.lines = logRing.merged(with: data.logs.lines, limit: query.eventLimit)
        }
        return data
    }

    /// Applies an event and its effects. Returns false when the dashboard should close.
    public func handle(_ event: InputEvent) -> Bool {
        if event == .wake { installBackgroundLoad() }
        if event == .tick, let id = pendingDetail {
            pendingDetail = nil
            if state.selectedSample?.id == id { perform(.loadDetail(id)) }
        }
        let screenBefore = state.screen
        let effects = Dashboard.update(&state, event)
        if state.screen != screenBefore, query.screens != nil {
            // Only the visible screen's data is loaded; fetch the new screen's now.
            query.screens = [state.screen]
            reload()
        }
        for effect in effects { perform(effect) }
        if state.searchQuery != query.search {
            // `esc` cleared the search (or a new one was typed): reload the Samples list.
            query.search = state.searchQuery
            query.sampleLimit = DashboardQuery().sampleLimit
            query.screens = query.screens.map { $0.union([.samples]) }
            reload()
        }
        loadMoreIfNearEnd()
        return !state.quitting
    }

    /// Draws the current state.
    public func render(width: Int, height: Int) -> CellBuffer {
        needsFullRedraw = false
        return Dashboard.render(&state, width: width, height: height)
    }

    /// Reloads all data from the store (and the Samples detail of the selected row).
    public func reload() {
        do {
            let data = try Self.load(store: store, query: query, workspaceName: workspaceName, engine: engineStatus(),
                                     targetShares: targetShares, logRing: logRing)
            let detail = state.data.samples.detail
            Dashboard.replaceData(&state, data)
            if let d = detail, state.selectedSample?.id == d.id { state.data.samples.detail = d } else { loadSelectedDetail() }
        } catch {
            state.error = "cannot read the workspace database: \(error)"
        }
    }

    func perform(_ effect: Effect) {
        do {
            switch effect {
            case .quit: break
            case .redraw: needsFullRedraw = true
            case .refresh: requestReload()
            case .loadTheme(let name):
                do {
                    state.theme = try catalog.load(name: name)
                    state.error = nil
                    state.message = "theme \(state.theme.name)"
                    needsFullRedraw = true
                } catch {
                    state.error = error.description
                }
            case .setPaused(let paused):
                try store.setControl(.paused, paused ? "true" : nil)
                try? store.log(.info, source: "dashboard", paused ? "pause requested" : "resume requested")
            case .resume:
                let roles = try store.write { writer in
                    try writer.setControl(.paused, nil)
                    let roles = try writer.resumeRoles()
                    let names = roles.map(\.role.rawValue).joined(separator: ", ")
                    _ = try writer.log(.info, source: "dashboard", roles.isEmpty ? "resume requested"
                                       : "resume requested; paused roles resumed: \(names)")
                    return roles
                }
                state.message = roles.isEmpty ? "engine resumed"
                    : "engine resumed; roles resumed: " + roles.map(\.role.rawValue).joined(separator: ", ")
                reload()
            case .setNextDelta(let d):
                try store.setControl(.deltaNext, String(d))
                try? store.log(.info, source: "dashboard", String(format: "δ %.2f set for the next round", d))
            case .showRound(let n):
                let exists = try store.read { try $0.round(n) } != nil
                guard exists else {
                    state.error = "round \(n) does not exist yet"
                    return
                }
                query.round = n
                state.message = "showing round \(n)"
                reload()
            case .approve(let ids):
                try store.write { w in for id in ids { try w.review(instructionID: id, decision: .approve) } }
                reload()
            case .reject(let ids, let reason):
                try store.write { w in for id in ids { try w.review(instructionID: id, decision: .reject, note: reason) } }
                reload()
            case .edit(let id, let text):
                try store.write { w in try w.review(instructionID: id, decision: .edit(text: text)) }
                reload()
            case .search:
                break  // applied by `handle` once the state holds the query
            case .loadDetail(let id):
                // While keys repeat quickly (holding j), skip the detail queries until input settles.
                let now = Date()
                defer { lastDetailRequest = now }
                if now.timeIntervalSince(lastDetailRequest) < 0.05 {
                    pendingDetail = id
                    return
                }
                pendingDetail = nil
                state.data.samples.detail = try store.read { try DashboardLoader.detail($0, id: id) }
            }
        } catch {
            state.error = "\(error)"
        }
    }

    /// Lists are loaded a page at a time; moving near the end of the loaded rows loads more.
    private func loadMoreIfNearEnd() {
        let margin = max(state.pageRows, 20)
        switch state.screen {
        case .samples:
            let rows = state.data.samples.rows.count
            if rows < state.data.samples.total, state.list(.samples).selected >= rows - margin {
                query.sampleLimit += DashboardQuery().sampleLimit
                reload()
            }
        case .hardQueue:
            let rows = state.data.hardQueue.items.count
            if rows >= query.listLimit, state.list(.hardQueue).selected >= rows - margin {
                query.listLimit += DashboardQuery().listLimit
                reload()
            }
        default: break
        }
    }

    /// Periodic refresh: in the background when `wakeUI` is set, else synchronously.
    public func requestReload() {
        guard let wake = wakeUI else { return reload() }
        guard !backgroundLoadRunning else { return }
        backgroundLoadRunning = true
        let store = store, q = query, name = workspaceName, shares = targetShares, engine = engineStatus(), ring = logRing
        let mailbox = mailbox
        DispatchQueue.global(qos: .userInitiated).async {
            let result = Result {
                try Self.load(store: store, query: q, workspaceName: name, engine: engine, targetShares: shares, logRing: ring)
            }
            mailbox.put(result, query: q)
            wake()
        }
    }

    private func installBackgroundLoad() {
        guard let (result, loadedQuery) = mailbox.take() else { return }
        backgroundLoadRunning = false
        // A load started before the query changed (search, :round) is stale.
        guard loadedQuery == query else { return requestReload() }
        switch result {
        case .success(let data):
            let detail = state.data.samples.detail
            Dashboard.replaceData(&state, data)
            if let d = detail, state.selectedSample?.id == d.id { state.data.samples.detail = d } else { loadSelectedDetail() }
        case .failure(let error):
            state.error = "cannot read the workspace database: \(error)"
        }
    }

    private func loadSelectedDetail() {
        guard let id = state.selectedSample?.id else { return }
        state.data.samples.detail = try? store.read { try DashboardLoader.detail($0, id: id) }
    }
}

/// Hands one background load result to the UI thread.
final class LoadMailbox: @unchecked Sendable {
    private let lock = NSLock()
    private var slot: (Result<DashboardData, Error>, DashboardQuery)?

    func put(_ result: Result<DashboardData, Error>, query: DashboardQuery) {
        lock.lock()
        slot = (result, query)
        lock.unlock()
    }

    func take() -> (Result<DashboardData, Error>, DashboardQuery)? {
        lock.lock()
        defer { slot = nil; lock.unlock() }
        return slot
    }
}
