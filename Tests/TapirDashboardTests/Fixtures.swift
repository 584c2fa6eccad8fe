import Foundation
import TerminalUI
@testable import TapirDashboard

/// Hand-written view-model data for driving the dashboard without a database.
enum Fixtures {
    static let time = Date(timeIntervalSince1970: 1_790_000_000)

    static var data: DashboardData {
        DashboardData(
            workspaceName: "demo", engineRunning: true, paused: false,
            rounds: RoundsViewModel(
                rows: [
                    .init(number: 1, alpha: 0.3, delta: 1.0, stage: "evaluate", state: "done", hardCount: 41, total: 180, winRate: 0.42, cost: 1.25),
                    .init(number: 2, alpha: 0.5, delta: 1.0, stage: "judge", state: "running", hardCount: nil, total: 180, winRate: nil, cost: 0.4),
                ],
                currentRound: 2,
                stages: [
                    .init(stage: "answer", done: 180, total: 180, ratePerMinute: 60, etaSeconds: 0),
                    .init(stage: "judge", done: 45, total: 180, ratePerMinute: 12.5, etaSeconds: 648),
                ],
                totalCost: 1.65, loss: [2.1, 1.7, 1.4, 1.2]),
            tasks: TasksViewModel(round: 2, categories: [
                .init(name: "Math", count: 40, actual: 0.22, target: 0.15, hardShare: 0.5),
                .init(name: "Code Generation", count: 30, actual: 0.17, target: 0.2, hardShare: 0.3),
                .init(name: "Open QA", count: 110, actual: 0.61, target: 0.65, hardShare: 0.1),
            ]),
            scores: ScoresViewModel(round: 1, teacherScores: [9, 8, 9, 7, 8, 9, 10], studentScores: [4, 6, 7, 5, 8, 3, 9],
                                    mfd: [5, 2, 2, 2, 0, 6, 1], delta: 1.0, consistency: 0.86),
            hardQueue: HardQueueViewModel(round: 1, items: [
                .init(id: 11, category: "Math", mfd: 6, text: "Prove that √2 is irrational."),
                .init(id: 12, category: "Code Generation", mfd: 5, text: "Write a lock-free queue in C."),
                .init(id: 13, category: "Math", mfd: 2, text: "Integrate x·eˣ."),
            ]),
            review: ReviewViewModel(items: [
                .init(id: 201, round: 1, category: "Math", text: "Show that √3 is irrational.", parentText: "Prove that √2 is irrational.",
                      studentAnswer: "Because it is not a fraction.", rationale: "The student gives no proof.",
                      nearest: [.init(text: "Prove that √2 is irrational.", similarity: 0.71)]),
                .init(id: 202, round: 1, category: "Code Generation", text: "Write a lock-free stack in Rust.", parentText: "Write a lock-free queue in C.",
                      studentAnswer: "Use a mutex.", rationale: "Not lock-free.", nearest: []),
                .init(id: 203, round: 1, category: "Math", text: "\u{1B}]52;c;ZXZpbA==\u{07}Compute 2+2 \u{202E}evil", parentText: "x",
                      studentAnswer: "\u{1B}[2J\u{1B}[31mred", rationale: "r", nearest: []),
            ], approvedCount: 3, rejectedCount: 1),
            samples: SamplesViewModel(rows: [
                .init(id: 1, category: "Math", source: "seed", state: "active", text: "What is 7 × 8?"),
                .init(id: 2, category: "Open QA", source: "seed", state: "active", text: "Name the largest planet."),
                .init(id: 3, category: "Math", source: "expansion", state: "active", text: "What is 12 × 12?"),
            ], total: 3),
            logs: LogsViewModel(lines: [
                .init(time: time, level: .info, source: "engine", message: "round 2 started"),
                .init(time: time, level: .debug, source: "llm", message: "POST /v1/chat/completions 200"),
                .init(time: time, level: .warning, source: "judge", message: "unparseable score, retrying"),
                .init(time: time, level: .error, source: "trainer", message: "exit code 1"),
            ]))
    }

    static func state() -> DashboardState { DashboardState(data: data) }

    static func keys(_ spec: String) -> [InputEvent] {
        spec.split(separator: " ").map { .key(Key(spec: String($0))!) }
    }

    /// Sends events, collecting every effect.
    @discardableResult
    static func send(_ state: inout DashboardState, _ events: [InputEvent]) -> [Effect] {
        var effects: [Effect] = []
        for e in events {
            effects += Dashboard.update(&state, e)
            _ = Dashboard.render(&state, width: 100, height: 30)
        }
        return effects
    }

    static func type(_ text: String) -> [InputEvent] { text.map { .key(.char($0)) } }
}
