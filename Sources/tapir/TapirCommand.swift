import ArgumentParser

/// The `tapir` command: with no subcommand it opens the dashboard.
@main
struct TapirCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tapir",
        abstract: "Task-aware curriculum distillation of a teacher LLM into a small student.",
        subcommands: [
            InitCommand.self, ImportCommand.self, StatusCommand.self, ExportCommand.self, DoctorCommand.self,
            RunCommand.self, PauseCommand.self, ResumeCommand.self, ApproveCommand.self, RejectCommand.self,
            DashboardCommand.self, ThemeCommand.self,
            TokenizeCommand.self, GenerateCommand.self, ScoreCommand.self,
            UIDemoCommand.self, UIBenchCommand.self, BenchInferenceCommand.self, BenchEngineCommand.self,
        ],
        defaultSubcommand: DashboardCommand.self
    )
}
