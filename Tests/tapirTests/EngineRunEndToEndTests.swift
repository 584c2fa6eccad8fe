import Foundation
import Testing
import TapirCore
import TapirStore
import TapirTestSupport

/// The whole loop for real: `tapir run` (a subprocess, so the native student's CPU work and
/// the wait stay off this process's cooperative pool) with the native SmolLM2 student and
/// a `ScriptedRoles` server on loopback as teacher, judge and classifier; two rounds of all
/// ten stages with auto approval and a trainer script. Every expected count is derived
/// from the scripted roles' rules (scores, categories) and the configuration, and the
/// exported training sets are parsed back.
///
/// It burns both cores for a minute or two, so `make test` runs the `EngineRun` suites in
/// a `swift test` process of their own.
@Suite("native engine end to end", .serialized)
struct EngineRunEndToEndTests {
    @Test(.enabled(if: EngineScenario.modelAvailable, "needs ~/.cache/tapir/SmolLM2-135M-Instruct.Q4_1.gguf (make setup)"))
    func twoRoundsOfAllStagesOverTheNativeStudentAndScriptedRoles() async throws {
        let scenario = try EngineScenario()
        let result = try await scenario.run()
        #expect(result.status == 0, "tapir run: \(result.stderr)\n\(result.stdout.suffix(3000))")
        #expect(result.stdout.hasSuffix("done\n"))
        let store = try scenario.openStore()

        let seeds = Set(EngineScenario.train.map(\.0))
        var previousExpansions: Set<String> = []
        for (index, alpha) in EngineScenario.alpha.enumerated() {
            let round = index + 1
            try checkRound(round, alpha: alpha, store: store, scenario: scenario, seeds: seeds,
                           earlierExpansions: &previousExpansions)
        }
        let rounds = try await store.read { try $0.rounds() }
        #expect(rounds.map(\.number) == [1, 2])
        #expect(rounds.allSatisfy { $0.finishedAt != nil && $0.stage == .evaluate && $0.stageState == .done })

        // The call cache answers a repeated request (round 2 re-judges the same answers of the
        // same greedy student), so the server never saw one twice.
        let bodies = scenario.server.requests.filter { $0.path == "/v1/chat/completions" }.map(\.bodyText)
        #expect(Set(bodies).count == bodies.count)
    }

    /// What a finished round `round` must hold.
    private func checkRound(_ round: Int, alpha: Double, store: WorkspaceStore, scenario: EngineScenario,
                            seeds: Set<String>, earlierExpansions: inout Set<String>) throws {
        // The train set as round `round` saw it: later rounds' expansions came after.
        let train = try store.read { try $0.instructions(.activeTrain) }
            .filter { $0.source != .expansion || $0.createdRound < round }
        let trainIDs = Set(train.compactMap(\.id))
        let byID = Dictionary(uniqueKeysWithValues: train.map { ($0.id!, $0) })
        // Round 1 trains on the seeds; round 2 also on round 1's approved expansions.
        #expect(train.count == EngineScenario.train.count + earlierExpansions.count, "round \(round)")
        #expect(Set(train.map(\.text)) == seeds.union(earlierExpansions))

        // answer + teach: a student answer of the round and a teacher reference for each.
        let student = try store.read { try $0.responses(role: .student, round: round) }
        #expect(Set(student.map(\.instructionID)).isSuperset(of: trainIDs))
        #expect(student.count == train.count + EngineScenario.eval.count) // evaluate answers the eval split
        // Round 1 uses the configured student, round 2 the one round 1's trainer wrote.
        let studentFile = round == 1 ? URL(fileURLWithPath: EngineScenario.modelPath).lastPathComponent : "model.gguf"
        #expect(student.allSatisfy { $0.model == studentFile }, "\(Set(student.map(\.model)))")
        for record in train {
            let teacher = try store.read { try $0.teacherResponse(instructionID: record.id!, upToRound: round) }
            #expect(teacher?.text == ScriptedRoles.referencePrefix + record.text)
        }

        // judge: both orders scored, the scores following the texts; MFD = 9 − student score.
        let judgements = try store.read { try $0.judgements(round: round) }
        #expect(judgements.count == train.count)
        for judgement in judgements {
            let text = try #require(byID[judgement.instructionID]?.text)
            let s = Double(ScriptedRoles.studentScore(for: text)), t = Double(ScriptedRoles.referenceScore)
            #expect(judgement.status == .ok)
            #expect(judgement.teacherScoreAB == t && judgement.teacherScoreBA == t)
            #expect(judgement.studentScoreAB == s && judgement.studentScoreBA == s)
            #expect(judgement.mfd == t - s)
        }
        // The native student also stored its likelihood signals.
        #expect(try store.read { try $0.difficulties(round: round, kind: .ifd) }.count == train.count)

        // select: hard ⇔ MFD > δ.
        let selection = try store.read { try $0.selection(round: round) }
        #expect(selection.count == train.count)
        let expectedHard = Set(train.filter {
            Double(ScriptedRoles.referenceScore - ScriptedRoles.studentScore(for: $0.text)) > EngineScenario.delta
        }.map { $0.id! })
        #expect(Set(selection.filter(\.hard).map(\.instructionID)) == expectedHard)
        #expect(!expectedHard.isEmpty && expectedHard.count < train.count)

        // classify: dataset labels kept, the rest labelled by the scripted classifier
        // (an unknown label becomes Others); eval instructions too.
        let labels = Dictionary(uniqueKeysWithValues: EngineScenario.train.map { ($0.0, $0.1) })
        let everything = try store.read { try $0.instructions(InstructionFilter(state: .active)) }
        for record in everything where record.source == .dataset {
            let scripted = ScriptedRoles.category(for: record.text)
            let expected = labels[record.text].flatMap { $0 } ?? (scripted == ScriptedRoles.unknownLabel ? "Others" : scripted)
            #expect(record.category == expected, "\(record.text)")
        }

        // expand: the budget's requests either became an (auto-approved) expansion or were
        // dropped as duplicates; none repeats a seed.
        let expansions = try store.read { try $0.expansions(state: nil, round: round) }
        let duplicates = try store.read { try $0.round(round)?.metrics["expansion_duplicates"] } ?? 0
        let expandEvents = try store.read { try $0.events(limit: 10_000) }.filter { $0.stage == .expand }.map(\.message)
        #expect(expansions.count + Int(duplicates) == EngineScenario.expansionsPerRound, "\(expandEvents)")
        #expect(!expansions.isEmpty)
        #expect(expansions.allSatisfy { $0.expansion.state == .approved && $0.instruction.state == .active })
        #expect(expansions.allSatisfy { !seeds.contains($0.instruction.text) && $0.expansion.parentID != nil })
        earlierExpansions.formUnion(expansions.map(\.instruction.text))

        // refine: every train instruction rewritten, the raw teacher response kept.
        let refined = try store.read { try $0.responses(role: .refined, round: round) }
        #expect(Set(refined.map(\.instructionID)) == trainIDs)
        #expect(refined.allSatisfy { $0.text == "Refined: " + ScriptedRoles.referencePrefix + byID[$0.instructionID]!.text })

        // compose: the configured size, α_r within one example, the export parsed back.
        let composition = try store.read { try $0.composition(round: round) }
        #expect(composition.count == EngineScenario.trainingSetSize)
        let hardShare = Double(composition.filter(\.hard).count) / Double(composition.count)
        #expect(abs(hardShare - alpha) <= 1.0 / Double(EngineScenario.trainingSetSize) + 1e-9, "α \(hardShare) vs \(alpha)")
        #expect(composition.allSatisfy { ($0.hard) == expectedHard.contains($0.instructionID) })
        let folder = scenario.workspace.exportURL(round: round)
        let alpaca = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("alpaca.json"))) as? [[String: Any]]
        let examples = try #require(alpaca)
        #expect(examples.count == composition.count)
        let byText = Dictionary(train.map { ($0.text, $0) }, uniquingKeysWith: { first, _ in first })
        var perCategory: [String: Int] = [:]
        for example in examples {
            let text = try #require(example["instruction"] as? String)
            let record = try #require(byText[text], "exported instruction \(text) is not an active train instruction")
            #expect(example["output"] as? String == "Refined: " + ScriptedRoles.referencePrefix + text)
            perCategory[record.category ?? "Others", default: 0] += 1
        }
        let messages = try String(contentsOf: folder.appendingPathComponent("messages.jsonl"), encoding: .utf8)
        #expect(messages.split(separator: "\n").count == composition.count)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("dataset_info.json").path))
        // The category mix: what the export holds is what the round recorded, and within
        // tolerance of the target shares (an 8–11 instruction pool cannot match them exactly).
        let metrics = try #require(try store.read { try $0.round(round)?.metrics })
        for (category, target) in EngineScenario.taxonomy {
            let share = Double(perCategory[category] ?? 0) / Double(examples.count)
            #expect(abs(share - (metrics["share:\(category)"] ?? 0)) < 1e-9, "\(category)")
            #expect(abs(share - target) <= 0.25, "round \(round) \(category): \(share) vs target \(target)")
        }

        // train: the script's loss lines parsed, the new student written.
        let runs = try store.read { try $0.trainerRuns(round: round) }
        let run = try #require(runs.first { $0.status == .succeeded })
        #expect(run.exitCode == 0)
        #expect(try store.read { try $0.loss(runID: run.id!) }.map(\.loss) == [2.5, 1.75, 1.25])
        let output = try #require(run.output)
        #expect(FileManager.default.fileExists(atPath: output))
        #expect(metrics["final_loss"] == 1.25 && metrics["student_trained"] == 1)

        // evaluate: each eval instruction judged against its reference (score 9): a loss,
        // or a tie when the scripted student score is 9 too.
        let evaluations = try store.read { try $0.evaluations(round: round) }
        #expect(evaluations.count == EngineScenario.eval.count)
        let evalTexts = try store.read { try $0.instructions(ids: evaluations.map(\.instructionID)) }
        for (evaluation, record) in zip(evaluations.sorted { $0.instructionID < $1.instructionID },
                                        evalTexts.sorted { $0.id! < $1.id! }) {
            let s = ScriptedRoles.studentScore(for: record.text)
            #expect(evaluation.verdict == (s == ScriptedRoles.referenceScore ? .tie : .loss), "\(record.text)")
        }
    }
}
