import Foundation
import TapirCore
import TapirEngine

/// A stage whose start and end are noted on the benchmark's timeline.
struct TimedStage: StageRunner {
    let base: any StageRunner
    let timeline: CallTimeline
    let windows: StageWindows

    var stage: Stage { base.stage }

    func run(round: Int, context: EngineContext) async throws -> StageOutcome {
        let start = timeline.now()
        defer { windows.set(stage, start...timeline.now()) }
        return try await base.run(round: round, context: context)
    }
}

/// When each stage ran, in timeline seconds.
final class StageWindows: @unchecked Sendable {
    private let lock = NSLock()
    private var windows: [Stage: ClosedRange<Double>] = [:]

    func set(_ stage: Stage, _ window: ClosedRange<Double>) {
        lock.lock()
        windows[stage] = window
        lock.unlock()
    }

    var all: [Stage: ClosedRange<Double>] {
        lock.lock()
        defer { lock.unlock() }
        return windows
    }
}
