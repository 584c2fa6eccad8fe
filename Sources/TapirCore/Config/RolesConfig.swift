/// The four model roles. `teacher` may be absent when responses come from the dataset
/// and neither expansion nor refinement is on; `judge` may be absent when selection uses a
/// likelihood difficulty (ifd, nll) without pairwise judging (the evaluate stage is then
/// skipped).
public struct RolesConfig: Sendable, Hashable {
    public var student: RoleConfig
    public var teacher: RoleConfig?
    public var judge: RoleConfig?
    public var classifier: RoleConfig

    public init(student: RoleConfig, teacher: RoleConfig?, judge: RoleConfig?, classifier: RoleConfig) {
        self.student = student
        self.teacher = teacher
        self.judge = judge
        self.classifier = classifier
    }

    /// The configuration of `role`, or `nil` for an absent teacher.
    public subscript(role: ModelRole) -> RoleConfig? {
        switch role {
        case .student: student
        case .teacher: teacher
        case .judge: judge
        case .classifier: classifier
        }
    }

    /// The default student GGUF location (`scripts/fetch-model.sh` puts it there).
    public static let defaultStudentModelPath = "${TAPIR_HOME}/SmolLM2-135M-Instruct.Q4_1.gguf"

    /// Native SmolLM2 student; OpenAI teacher, judge and classifier keyed by `OPENAI_API_KEY`.
    public static let defaults = RolesConfig(
        student: RoleConfig(provider: .native, modelPath: defaultStudentModelPath, maxTokens: 512),
        teacher: RoleConfig(provider: .openai, baseURL: "https://api.openai.com/v1", model: "gpt-4o",
                            apiKeyEnv: "OPENAI_API_KEY", temperature: 0.7, maxTokens: 1024),
        judge: RoleConfig(provider: .openai, baseURL: "https://api.openai.com/v1", model: "gpt-4o",
                          apiKeyEnv: "OPENAI_API_KEY", temperature: 0, maxTokens: 512),
        classifier: RoleConfig(provider: .openai, baseURL: "https://api.openai.com/v1", model: "gpt-4o-mini",
                               apiKeyEnv: "OPENAI_API_KEY", temperature: 0, maxTokens: 64))
}
