import Foundation
import Testing
import TapirCore
import TapirStore
@testable import TapirEngine

/// `tapir run`'s live view as a pure function of progress records, and the choice between
/// bars and event lines.
@Suite struct ProgressRendererTests {
    let start = Date(timeIntervalSince1970: 1_000_000)

    func input(stage: Stage, state: StageState, progress: [StageProgressRecord], ledger: [LedgerRow] = [],
               baselines: [Stage: RunProgressInput.Baseline] = [:], now: Double) -> RunProgressInput {
        RunProgressInput(
            round: RoundRecord(number: 2, alpha: 0.5, delta: 1, stage: stage, stageState: state, startedAt: start),
            plannedRounds: 3, progress: progress, ledger: ledger, baselines: baselines,
            runStartedAt: start, now: start.addingTimeInterval(now))
    }

    @Test func runningStageShowsCountsRateEtaAndCost() {
        let progress = [
            StageProgressRecord(round: 2, stage: .answer, done: 100, total: 100, startedAt: start, updatedAt: start.addingTimeInterval(20)),
            StageProgressRecord(round: 2, stage: .judge, done: 25, total: 100, startedAt: start.addingTimeInterval(20),
                                updatedAt: start.addingTimeInterval(30)),
        ]
        let ledger = [
            LedgerRow(role: .judge, stage: .judge, round: 2, calls: 50, errors: 0, promptTokens: 1000, completionTokens: 100,
                      cost: 0.125, latency: 5),
            LedgerRow(role: .judge, stage: .judge, round: 1, calls: 200, errors: 0, promptTokens: 4000, completionTokens: 400,
                      cost: 1.0, latency: 20),
        ]
        let lines = ProgressRenderer(width: 100, color: false).lines(
            input(stage: .judge, state: .running, progress: progress, ledger: ledger, now: 30))
        #expect(lines.count == 1 + Stage.allCases.count)
        #expect(lines[0] == "tapir run · round 2/3 · 0:30 elapsed · cost $1.1250 (round $0.1250)")
        let judge = lines[1 + Stage.judge.index]
        // 25 of 100 in 10 s since the stage started: 2.5/s, 75 left: 30 s.
        #expect(judge.hasPrefix("▸ judge     █"))
        #expect(judge.contains(" 25/100  25%  2.5/s  ETA 0:30  $0.1250"), "\(judge)")
        let answer = lines[1 + Stage.answer.index]
        #expect(answer.hasPrefix("✓ answer    ") && answer.contains("100/100 100%  5.0/s  took 0:20  $0.0000"), "\(answer)")
        #expect(!answer.contains("░"))
        #expect(lines[1 + Stage.teach.index] == "✓ teach     done")
        #expect(lines[1 + Stage.select.index] == "· select    waiting")
        #expect(lines.allSatisfy { $0.count <= 100 })
        #expect(!lines.joined().contains("\u{1B}"))
    }

    @Test func aResumedStageMeasuresItsRateFromWhatThisRunSaw() {
        // 900 were done in an earlier run; this run saw 900 at t=100 and 950 at t=110.
        let progress = [StageProgressRecord(round: 2, stage: .classify, done: 950, total: 1000, startedAt: start,
                                            updatedAt: start.addingTimeInterval(110))]
        let lines = ProgressRenderer(width: 120, color: false).lines(input(
            stage: .classify, state: .running, progress: progress,
            baselines: [.classify: .init(done: 900, at: start.addingTimeInterval(100))], now: 110))
        #expect(lines[1 + Stage.classify.index].contains("950/1000  95%  5.0/s  ETA 0:10"), "\(lines[1 + Stage.classify.index])")
    }

    @Test func colourIsOptionalAndLinesFitTheWidth() {
        let progress = [StageProgressRecord(round: 2, stage: .answer, done: 5, total: 10, startedAt: start,
                                            updatedAt: start.addingTimeInterval(1))]
        let plain = ProgressRenderer(width: 40, color: false).lines(input(stage: .answer, state: .running, progress: progress, now: 1))
        let coloured = ProgressRenderer(width: 40, color: true).lines(input(stage: .answer, state: .running, progress: progress, now: 1))
        #expect(plain.allSatisfy { $0.count <= 40 })
        #expect(coloured[1].contains("\u{1B}[36m"))
        let stripped = coloured.map { $0.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression) }
        #expect(stripped == plain)
    }

    @Test func beforeTheFirstRoundOnlyTheHeaderShows() {
        let lines = ProgressRenderer(width: 80, color: false).lines(RunProgressInput(
            round: nil, plannedRounds: 3, progress: [], ledger: [], runStartedAt: start, now: start.addingTimeInterval(3725)))
        #expect(lines == ["tapir run · 1:02:05 elapsed · cost $0.0000"])
    }

    @Test func barsOnlyOnACapableTerminalAndColourUnlessNoColor() {
        #expect(ProgressOutputMode.automatic(stdoutIsTerminal: true, environment: ["TERM": "xterm-256color"]) == .bars)
        #expect(ProgressOutputMode.automatic(stdoutIsTerminal: false, environment: ["TERM": "xterm-256color"]) == .lines)
        #expect(ProgressOutputMode.automatic(stdoutIsTerminal: true, environment: ["TERM": "dumb"]) == .lines)
        #expect(ProgressOutputMode.automatic(stdoutIsTerminal: true, environment: [:]) == .lines)
        #expect(ProgressOutputMode.useColor(environment: [:]))
        #expect(ProgressOutputMode.useColor(environment: ["NO_COLOR": ""]))
        #expect(!ProgressOutputMode.useColor(environment: ["NO_COLOR": "1"]))
    }

    @Test func pausedControlValues() {
        #expect(BudgetPause.describe(pausedValue: "1") == "paused by request")
        #expect(BudgetPause.describe(pausedValue: "true") == "paused by request")
        #expect(BudgetPause.describe(pausedValue: " 0 ") == nil)
        #expect(BudgetPause.describe(pausedValue: "budget: run budget reached") == "budget: run budget reached")
        #expect(BudgetPause.reason(scope: .round, capUSD: 2, spentUSD: 2.5, round: 3)
                == "budget: round 3 budget of $2.0000 reached ($2.5000 spent); raise budgets.round_usd in tapir.yaml, then `tapir resume` and run again")
    }
}
