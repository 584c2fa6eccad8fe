import ArgumentParser
import Foundation
import TapirCore
import TapirEngine
import TapirLLM
import TapirStore

/// `tapir bench-engine` (hidden): one full curriculum round over a synthetic dataset with an
/// OpenAI-compatible server that answers at once playing every role (`tapir-loopback-server
/// --engine`), measuring how much of the wall time the engine spends outside model calls.
struct BenchEngineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-engine", abstract: "Measure the engine's bookkeeping over one round.", shouldDisplay: false)

    @Option(help: "Base URL of `tapir-loopback-server --engine`, e.g. http://127.0.0.1:8000/v1.")
    var baseURL: String

    @Option(help: "Train instructions in the synthetic dataset.")
    var instructions = 10_000

    @Option(help: "Expansions the teacher writes in the round.")
    var expansions = 500

    @Option(help: "Model calls a stage keeps in flight (and each role's max_concurrency).")
    var concurrency = 64

    @Option(help: "Also list every stretch of at least this many milliseconds with no call in flight, with its offset into the stage.")
    var gaps: Double?

    @Option(help: "Workspace folder to create (default: a temporary one, removed afterwards).")
    var workspace: String?

    func run() async throws {
        let root = workspace.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("tapir-bench-engine-\(UUID().uuidString)")
        defer { if workspace == nil { try? FileManager.default.removeItem(at: root) } }
        let ws = try Workspace.create(at: root)
        try Self.config(baseURL: baseURL, expansions: expansions, concurrency: concurrency)
            .write(to: ws.root.appendingPathComponent("tapir.yaml"), atomically: true, encoding: .utf8)
        let config = try ws.loadConfig()
        let store = try ws.openStore()
        let data = ws.root.appendingPathComponent("bench.jsonl")
        try Self.dataset(count: instructions).write(to: data, atomically: true, encoding: .utf8)
        let report = try DatasetImporter.importFile(data, into: store)
        print("bench-engine: \(report.imported) instructions imported; roles student, judge, classifier, teacher on \(baseURL)")

        let timeline = CallTimeline()
        var models = EngineModels()
        for role in config.usedRoles {
            guard let roleConfig = config.roles[role] else { continue }
            let client = TimedChatModel(base: try OpenAIClient(role: role, config: roleConfig, environment: [:]), timeline: timeline)
            let model = CachingChatModel(base: client, store: store, useCache: true)
            switch role {
            case .student: models.student = model
            case .teacher: models.teacher = model
            case .judge: models.judge = model
            case .classifier: models.classifier = model
            }
        }
        let windows = StageWindows()
        let stages = EngineStages.all.map { TimedStage(base: $0, timeline: timeline, windows: windows) as any StageRunner }
        let context = EngineContext(workspace: ws, store: store, config: config, models: models,
                                    prompts: PromptLibrary(), concurrency: concurrency)
        let cpuBefore = BenchInferenceCommand.cpuSeconds()
        let start = timeline.now()
        let outcome = await RoundRunner(context: context, stages: stages).run(rounds: 1)
        let end = timeline.now()
        let cpu = BenchInferenceCommand.cpuSeconds() - cpuBefore
        guard outcome == .done else {
            print("bench-engine: the round did not finish: \(outcome)")
            throw ExitCode.failure
        }

        let wall = end - start
        let inCalls = timeline.coveredSeconds(in: start...end)
        let calls = timeline.calls(in: start...end)
        print("")
        print("stage        wall s   calls   no call in flight      gaps  ≥1 ms  longest")
        for (stage, window) in windows.all.sorted(by: { $0.key < $1.key }) {
            let span = window.upperBound - window.lowerBound
            let outside = span - timeline.coveredSeconds(in: window)
            let stretches = timeline.gaps(in: window)
            let lengths = stretches.map(\.length)
            print(String(format: "%@ %8.2f %7d   %7.2f s (%3.0f%%) %9d %6d %7.1f ms",
                         stage.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0),
                         span, timeline.calls(in: window), outside, span > 0 ? outside / span * 100 : 0,
                         lengths.count, lengths.filter { $0 >= 0.001 }.count, (lengths.max() ?? 0) * 1000))
            if let gaps {
                for stretch in stretches where stretch.length * 1000 >= gaps {
                    print(String(format: "             %7.1f ms at +%.3f s", stretch.length * 1000, stretch.start - window.lowerBound))
                }
            }
        }
        let counts = try await store.read { reader in
            (try reader.judgements(round: 1).count, try reader.instructionIDs(.activeTrain).count,
             try reader.composition(round: 1).count)
        }
        print("")
        print(String(format: "instructions %d (+%d expansions), judgements %d, composed %d, model calls %d",
                     instructions, counts.1 - instructions, counts.0, counts.2, calls))
        print(String(format: "wall time %.2f s, engine process CPU %.2f s, %.0f model calls/s", wall, cpu, Double(calls) / wall))
        print(String(format: "time with a model call in flight %.2f s; bookkeeping (no call in flight) %.2f s = %.1f%% of wall time (target < 10%%)",
                     inCalls, wall - inCalls, (wall - inCalls) / wall * 100))
        print("definition: a model call is in flight from the moment the engine hands a request to the endpoint client (under "
              + "the call cache and ledger) until its reply is decoded; bookkeeping = wall time of the round during which "
              + "no call is in flight (store reads and writes, planning, selection, dedup, composition and export, cache "
              + "lookups and ledger writes).")
    }

    static func config(baseURL: String, expansions: Int, concurrency: Int) -> String {
        func role(_ name: String) -> String {
            "{ provider: openai, base_url: \"\(baseURL)\", model: bench-\(name), max_concurrency: \(concurrency), "
                + "max_attempts: 2, price_input_per_million: 0.15, price_output_per_million: 0.6 }"
        }
        return """
        roles:
          student: \(role("student"))
          teacher: \(role("teacher"))
          judge: \(role("judge"))
          classifier: \(role("classifier"))
        curriculum:
          rounds: 1
          alpha: [0.5]
          delta: 1.0
          difficulty: judge
          teacher: dataset
          approval: auto
          expansions_per_round: \(expansions)
          refine: false
        trainer:
          command: null

        """
    }

    /// Synthetic instructions with dataset responses and no category (so classify calls the
    /// classifier); distinct enough that none is a near-duplicate of another.
    static func dataset(count: Int) -> String {
        let syllables = ["ar", "be", "co", "di", "el", "fa", "go", "hu", "in", "jo", "ke", "lu", "mo", "ny", "or", "pe"]
        var state: UInt64 = 0x2545_f491_4f6c_dd1d
        func word() -> String {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let v = Int(state >> 40)
            return syllables[v % 16] + syllables[(v >> 4) % 16] + syllables[(v >> 8) % 16]
        }
        var lines: [String] = []
        lines.reserveCapacity(count)
        for index in 0..<count {
            let instruction = "Item \(index): explain " + (0..<12).map { _ in word() }.joined(separator: " ")
            let output = (0..<40).map { _ in word() }.joined(separator: " ") + "."
            lines.append(#"{"instruction": "\#(instruction)", "output": "\#(output)"}"#)
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
