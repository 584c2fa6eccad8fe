import ArgumentParser
import Foundation
import TapirCore
import TapirEngine
import TapirStore

/// `tapir run`: the curriculum engine, headless. Holds the workspace's engine lock while it
/// runs; prints one line per engine event; exits 0 when done, 3 when paused or waiting
/// (approvals, budget, `tapir pause`), 1 on failure.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the curriculum rounds headless (answer → … → evaluate).",
        discussion: "Exit status: 0 done, 3 paused or waiting for approvals/budget, 1 failed.")

    @OptionGroup var workspace: WorkspaceOptions

    @Option(help: "Rounds to run (default: curriculum.rounds).")
    var rounds: Int?

    @Option(help: "Stop after this stage of the last round (answer, teach, judge, select, classify, expand, refine, compose, train, evaluate).")
    var until: String?

    @Flag(help: "Clear a pause left by the dashboard or `tapir pause` before starting.")
    var yes = false

    static let waitingExit = ExitCode(3)

    func run() async throws {
        let ws: Workspace
        let store: WorkspaceStore
        let config: TapirConfig
        let lock: WorkspaceLock
        var untilStage: Stage?
        do {
            ws = try workspace.workspace()
            config = try ws.loadConfig()
            try config.checkAPIKeys(in: ProcessInfo.processInfo.environment)
            if let until {
                guard let stage = Stage(rawValue: until) else {
                    throw ValidationError("--until: unknown stage '\(until)'; expected one of \(Stage.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                untilStage = stage
            }
            lock = try ws.acquireEngineLock()
            store = try ws.openStore()
        } catch let error as ValidationError {
            throw error
        } catch {
            printError("tapir: \(error)")
            throw ExitCode.failure
        }
        defer { lock.release() }
        if yes { try store.setControl(.paused, nil) }

        let outcome: RunOutcome
        do {
            let models = try await EngineModelsFactory.make(config: config, store: store)
            let prompts = FileManager.default.fileExists(atPath: ws.promptsURL.path)
                ? try PromptLibrary(overridesDirectory: ws.promptsURL) : PromptLibrary()
            let context = EngineContext(workspace: ws, store: store, config: config, models: models, prompts: prompts)
            let runner = RoundRunner(context: context, stages: EngineStages.all)
            let printer = EventPrinter(store: store)
            let follow = Task { await printer.follow() }
            outcome = await runner.run(rounds: rounds, until: untilStage)
            follow.cancel()
            _ = await follow.value
            printer.flush()
        } catch {
            printError("tapir: \(error)")
            throw ExitCode.failure
        }
        switch outcome {
        case .done:
            print("done")
        case let .paused(reason):
            print("paused: \(reason)")
            throw Self.waitingExit
        case let .waiting(reason):
            print("waiting: \(reason)")
            throw Self.waitingExit
        case let .failed(error):
            printError("tapir: failed: \(error)")
            throw ExitCode.failure
        }
    }
}

/// Every stage of a round, in order.
enum EngineStages {
    static var all: [any StageRunner] {
        [AnswerStage(), TeachStage(), JudgeStage(), SelectStage(), ClassifyStage(),
         ExpandStage(), RefineStage(), ComposeStage(), TrainStage(), EvaluateStage()]
    }
}

/// Prints the engine's events as they land in the store, one line each.
final class EventPrinter: @unchecked Sendable {
    private let store: WorkspaceStore
    private let lock = NSLock()
    private var lastID: Int64

    init(store: WorkspaceStore) {
        self.store = store
        lastID = (try? store.read { try $0.latestEvents(limit: 1).first?.id }) ?? 0
    }

    func follow() async {
        while !Task.isCancelled {
            flush()
            try? await Task.sleep(nanoseconds: 300_000_000)
        }
    }

    func flush() {
        lock.lock()
        defer { lock.unlock() }
        guard let events = try? store.read({ try $0.events(afterID: lastID, minLevel: .info, limit: 500) }) else { return }
        let formatter = ISO8601DateFormatter()
        for event in events {
            lastID = max(lastID, event.id ?? lastID)
            let place = [event.round.map { "round \($0)" }, event.stage?.rawValue].compactMap { $0 }.joined(separator: " ")
            let text = TerminalSanitizer.sanitize(event.message)
            let line = "\(formatter.string(from: event.time)) \(event.level.rawValue) \(event.source)\(place.isEmpty ? "" : " [\(place)]"): \(text)\n"
            // Unbuffered, so a pipe or log file sees each event as it happens.
            FileHandle.standardOutput.write(Data(line.utf8))
        }
    }
}
