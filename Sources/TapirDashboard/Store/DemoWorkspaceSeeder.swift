import Foundation
import TapirCore
import TapirStore

/// Writes a small, self-consistent workspace history (two rounds, judgements, a hard set,
/// pending expansions, events) so the dashboard can be shown and tested without running
/// the engine. Some texts are deliberately hostile (escape sequences, bidi controls,
/// wide characters) to exercise sanitising.
public enum DemoWorkspaceSeeder {
    public static let categories = ["Math", "Code Generation", "Open QA", "Reasoning", "Translation"]

    /// Seeds `store` (expected empty). Deterministic for a given `seed`.
    public static func seed(_ store: WorkspaceStore, instructions count: Int = 60, seed: UInt64 = 7) throws {
        var rng = seed
        func next() -> Double {
            rng = rng &* 6364136223846793005 &+ 1442695040888963407
            return Double(rng >> 11) / Double(1 << 53)
        }
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        try store.write { w in
            var ids: [Int64] = []
            var references: [Int64: Int64] = [:]
            for i in 0..<count {
                let category = categories[i % categories.count]
                var text = "\(category) task \(i + 1): " + ["explain the steps", "write a short answer", "give an example", "compare two options"][i % 4]
                if i == 3 { text = "Translate 「こんにちは世界」 and 👩‍💻 into English" }
                if i == 5 { text = "Print \u{1B}[31mred\u{1B}[0m then \u{1B}]0;pwned\u{07}set the title" }
                if i == 7 { text = "Check the file name invoice\u{202E}fdp.exe" }
                guard let rec = try w.insertInstruction(InstructionRecord(text: text, source: .dataset, category: category, categorySource: .dataset)),
                      let id = rec.id else { continue }
                ids.append(id)
                let reference = try w.saveResponse(ResponseRecord(instructionID: id, role: .teacher, round: 0, model: "dataset",
                                                                  text: "Reference answer for #\(id).\nIt has two lines."))
                references[id] = reference.id
            }
            for round in 1...2 {
                try w.saveRound(RoundRecord(number: round, alpha: round == 1 ? 0.3 : 0.5, delta: 1.0,
                                            stage: round == 1 ? .evaluate : .judge, stageState: round == 1 ? .done : .running,
                                            startedAt: start, winRate: round == 1 ? 0.41 : nil))
                let judged = round == 1 ? ids : Array(ids.prefix(ids.count / 3))
                var selection: [SelectionRecord] = []
                for id in judged {
                    let teacher = (7 + next() * 3).rounded()
                    let student = max(1, (teacher - next() * 6 + Double(round)).rounded())
                    let mfd = teacher - student
                    _ = try w.saveResponse(ResponseRecord(instructionID: id, role: .student, round: round, model: "smollm2-135m",
                                                          text: "Student attempt (round \(round)) for #\(id)."))
                    _ = try w.saveJudgement(JudgementRecord(
                        instructionID: id, round: round, teacherScoreAB: teacher, studentScoreAB: student,
                        teacherScoreBA: teacher, studentScoreBA: min(10, student + (next() < 0.2 ? 2 : 0)), mfd: mfd,
                        rationale: "Assistant 1 is more complete; Assistant 2 misses key steps.", judgeModel: "judge-model"))
                    selection.append(SelectionRecord(instructionID: id, round: round, hard: mfd > 1.0, value: mfd, delta: 1.0))
                }
                try w.replaceSelection(round: round, selection)
                if round == 1 {
                    // Round 1's training set: every instruction once, on its reference answer.
                    try w.replaceComposition(round: 1, selection.enumerated().compactMap { position, row in
                        references[row.instructionID].map {
                            CompositionRecord(round: 1, instructionID: row.instructionID, responseID: $0, hard: row.hard, position: position)
                        }
                    })
                }
                let total = ids.count
                try w.updateProgress(round: round, stage: .answer, done: total, total: total)
                try w.updateProgress(round: round, stage: .judge, done: judged.count, total: total)
            }
            for (k, parent) in ids.prefix(4).enumerated() {
                _ = try w.addExpansion(text: "New \(categories[k % categories.count]) instruction derived from #\(parent), variant \(k + 1)",
                                       parentID: parent, round: 1, category: categories[k % categories.count],
                                       similarity: 0.42 + Double(k) / 10, nearestIDs: [parent])
            }
            _ = try w.log(.info, source: "engine", "round 1 started", round: 1)
            _ = try w.log(.debug, source: "llm", "POST /v1/chat/completions 200 in 812 ms", round: 1)
            _ = try w.log(.warning, source: "judge", "unparseable score in reply; retried", round: 1)
            _ = try w.log(.info, source: "engine", "round 1 finished: win rate 41%", round: 1)
            _ = try w.log(.info, source: "engine", "round 2 started", round: 2)
            _ = try w.log(.error, source: "trainer", "no trainer configured; round continues without training", round: 2)
        }
    }
}
