import TapirCore
import TapirStore

/// Everything a stage runner needs: the workspace, its store and configuration, the models
/// and the prompt library. Stages read their inputs from the store and write their outputs
/// back, so a stage run twice does only the work that is left.
public struct EngineContext: Sendable {
    public var workspace: Workspace
    public var store: WorkspaceStore
    public var config: TapirConfig
    public var models: EngineModels
    public var prompts: PromptLibrary
    /// Concurrent model calls a stage keeps in flight (the clients limit per role as well).
    public var concurrency: Int
    /// The student of each round (a trained one from `trainer.student_after` once there is one).
    public var students: RoundStudents

    public init(
        workspace: Workspace, store: WorkspaceStore, config: TapirConfig, models: EngineModels,
        prompts: PromptLibrary, concurrency: Int = 16, students: RoundStudents = RoundStudents()
    ) {
        self.workspace = workspace
        self.store = store
        self.config = config
        self.models = models
        self.prompts = prompts
        self.concurrency = concurrency
        self.students = students
    }
}
