import Foundation
import TapirCore
import TapirStore
import TapirTestSupport

/// A workspace for the engine's end-to-end and crash tests: the native SmolLM2 student, a
/// `ScriptedRoles` server on loopback as teacher, judge and classifier, a small seed set
/// (8 train instructions, 3 with dataset labels, and 2 eval instructions with reference
/// answers), two rounds with auto approval, and a trainer script that prints loss lines and
/// copies the student GGUF as the "trained" student.
final class EngineScenario: @unchecked Sendable {
    static let modelPath = FileManager.default.homeDirectoryForCurrentUser
        .appendingPathComponent(".cache/tapir/SmolLM2-135M-Instruct.Q4_1.gguf").path
    static var modelAvailable: Bool { FileManager.default.fileExists(atPath: modelPath) }

    /// (text, dataset category)
    static let train: [(String, String?)] = [
        ("What is 144 divided by 12?", "Math"),
        ("Write a short poem about autumn leaves.", "Writing"),
        ("Write a Python function that reverses a list.", "Code Generation"),
        ("Add 45 and 38.", nil),
        ("Tell a story about a brave mouse.", nil),
        ("Describe the water cycle.", nil),
        ("Name three primary colours.", nil),
        ("Write code that prints hello.", nil),
    ]
    static let eval = ["What is 9 plus 10?", "Write a poem about the sea."]
    static let taxonomy: [(String, Double)] = [("Math", 0.4), ("Writing", 0.3), ("Code Generation", 0.2), ("Others", 0.1)]
    static let delta = 4.5
    static let alpha = [0.5, 0.75]
    static let trainingSetSize = 6
    static let expansionsPerRound = 3

    let root: URL
    let workspace: Workspace
    let roles: ScriptedRoles
    let server: LoopbackHTTPServer

    /// - Parameters:
    ///   - trainerExit: the trainer script's exit status (non-zero: it fails after its output).
    ///   - extraTrain: further train instructions (text, category) for bad-input scenarios.
    ///   - nativeStudent: false lets the scripted server play the student too (fast; no likelihoods).
    init(roles: ScriptedRoles = ScriptedRoles(), rounds: Int = 2, trainerExit: Int = 0, timeoutSeconds: Double = 20,
         extraTrain: [(String, String?)] = [], nativeStudent: Bool = true) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("tapir-e2e-\(UUID().uuidString)")
        workspace = try Workspace.create(at: root)
        self.roles = roles
        server = try roles.server()
        try Self.yaml(baseURL: server.baseURL, rounds: rounds, timeoutSeconds: timeoutSeconds, nativeStudent: nativeStudent)
            .write(to: workspace.root.appendingPathComponent("tapir.yaml"), atomically: true, encoding: .utf8)
        try Self.trainerScript(exit: trainerExit)
            .write(to: root.appendingPathComponent("fake-trainer.sh"), atomically: true, encoding: .utf8)
        let store = try workspace.openStore()
        try store.write { writer in
            for (text, category) in Self.train + extraTrain {
                _ = try writer.insertInstruction(InstructionRecord(
                    text: text, source: .dataset, category: category, categorySource: category == nil ? nil : .dataset, split: .train))
            }
            for text in Self.eval {
                let record = try writer.insertInstruction(InstructionRecord(text: text, source: .dataset, split: .eval))
                _ = try writer.saveResponse(ResponseRecord(
                    instructionID: record!.id!, role: .teacher, round: 0, model: "dataset",
                    text: ScriptedRoles.referencePrefix + "the dataset's answer to " + text, origin: "dataset"))
            }
        }
    }

    deinit {
        server.stop()
        // TAPIR_TEST_KEEP=1 keeps the workspace for a look after a failure.
        if ProcessInfo.processInfo.environment["TAPIR_TEST_KEEP"] == nil {
            try? FileManager.default.removeItem(at: root)
        } else {
            print("kept workspace \(root.path)")
        }
    }

    func openStore() throws -> WorkspaceStore { try workspace.openStore() }

    /// `tapir run` on the workspace, waited for off the cooperative pool.
    func run(_ extra: [String] = []) async throws -> TapirProcess.Run {
        try await TapirProcess.run(["run", "--workspace", root.path] + extra)
    }

    static func yaml(baseURL: String, rounds: Int, timeoutSeconds: Double, nativeStudent: Bool) -> String {
        func remote(_ model: String, maxTokens: Int) -> String {
            """
                provider: openai
                base_url: "\(baseURL)"
                model: \(model)
                max_concurrency: 4
                max_attempts: 1
                timeout_seconds: \(timeoutSeconds)
                temperature: 0.0
                max_tokens: \(maxTokens)
            """
        }
        let student = nativeStudent ? """
                provider: native
                model_path: "\(modelPath)"
                threads: 2
                batch_size: 8
                temperature: 0.0
                max_tokens: 8
            """ : remote(ScriptedRoles.studentModel, maxTokens: 8)
        return """
            roles:
              student:
            \(student)
              teacher:
            \(remote("teacher", maxTokens: 64))
              judge:
            \(remote("judge", maxTokens: 32))
              classifier:
            \(remote("classifier", maxTokens: 16))
            curriculum:
              rounds: \(rounds)
              alpha: [\(alpha.prefix(rounds).map { String($0) }.joined(separator: ", "))]
              delta: \(delta)
              difficulty: judge
              teacher: model
              training_set_size: \(trainingSetSize)
              approval: auto
              expansions_per_round: \(expansionsPerRound)
              expansion_seeds_per_prompt: 2
              refine: true
            taxonomy:
            \(taxonomy.map { "  - { name: \"\($0.0)\", target_share: \($0.1) }" }.joined(separator: "\n"))
            trainer:
              command: "sh {workspace}/fake-trainer.sh {data} {base} {output}"
            \(nativeStudent ? "  student_after: \"{output}/model.gguf\"" : "")

            """
    }

    /// Prints three Hugging Face style loss lines, then copies the base GGUF (when the base is
    /// a file) to `{output}/model.gguf`, or fails with `exit` after its output.
    static func trainerScript(exit status: Int) -> String {
        """
        set -e
        data="$1"; base="$2"; out="$3"
        n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$data")
        echo "training on $n examples from $base"
        step=1
        for loss in 2.5 1.75 1.25; do
          echo "{'loss': $loss, 'step': $step, 'epoch': 1.0}"
          step=$((step + 1))
        done
        if [ \(status) -ne 0 ]; then echo "CUDA out of memory (scripted)" >&2; exit \(status); fi
        mkdir -p "$out"
        if [ -f "$base" ]; then cp "$base" "$out/model.gguf"; echo "saved $out/model.gguf"; fi

        """
    }
}
