import ArgumentParser
import Foundation
import TapirCore
import TapirEngine
import TapirStore

/// `tapir run`: the curriculum engine, headless. Holds the workspace's engine lock while it
/// runs; on a terminal shows a progress bar per stage (counts, rate, ETA, cost) under the
/// scrolling engine events, otherwise prints one line per engine event; exits 0 when done,
/// 3 when paused or waiting (approvals, budget cap, `tapir pause`), 1 on failure.
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

    @Option(help: "Progress output: auto (bars on a terminal, one line per event otherwise), bars or lines.")
    var progress: ProgressChoice = .auto

    enum ProgressChoice: String, ExpressibleByArgument, CaseIterable {
        case auto, bars, lines
    }

    static let waitingExit = ExitCode(3)

    func run() async throws {
        SanitizingLogHandler.bootstrap()
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
            let reporter = reporter(store: store, plannedRounds: rounds ?? config.curriculum.rounds)
            let follow = Task { await reporter.follow() }
            let rounds = rounds
            let work = Task { await runner.run(rounds: rounds, until: untilStage) }
            let signals = EngineStopSignals { work.cancel() }
            outcome = await work.value
            signals.cancel()
            follow.cancel()
            _ = await follow.value
            reporter.finish()
        } catch {
            printError("tapir: \(error)")
            throw ExitCode.failure
        }
        switch outcome {
        case .done:
            print("done")
        case let .paused(reason):
            print("paused: \(TerminalSanitizer.sanitize(reason))")
            throw Self.waitingExit
        case let .waiting(reason):
            print("waiting: \(TerminalSanitizer.sanitize(reason))")
            throw Self.waitingExit
        case let .failed(error):
            printError("tapir: failed: \(TerminalSanitizer.sanitize(error))")
            throw ExitCode.failure
        }
    }
}

extension RunCommand {
    /// Bars on a terminal (or with `--progress bars`), event lines otherwise.
    func reporter(store: WorkspaceStore, plannedRounds: Int) -> any RunReporter {
        let environment = ProcessInfo.processInfo.environment
        let mode: ProgressOutputMode = switch progress {
        case .bars: .bars
        case .lines: .lines
        case .auto: .automatic(stdoutIsTerminal: isatty(STDOUT_FILENO) == 1, environment: environment)
        }
        switch mode {
        case .bars:
            return LiveProgressView(store: store, plannedRounds: plannedRounds,
                                    color: ProgressOutputMode.useColor(environment: environment))
        case .lines:
            return EventPrinter(store: store)
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
