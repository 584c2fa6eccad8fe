import TapirCore

/// The models the engine's stages call, one per role. A role the configuration does not
/// use is `nil` (for example no teacher when teacher responses come from the dataset).
public struct EngineModels: Sendable {
    public var student: (any ChatModel)?
    /// Teacher-forcing scorer for judge-free difficulty and label-likelihood classification;
    /// present when the student runs natively.
    public var studentScorer: (any LikelihoodScorer)?
    public var teacher: (any ChatModel)?
    public var judge: (any ChatModel)?
    public var classifier: (any ChatModel)?

    public init(
        student: (any ChatModel)? = nil, studentScorer: (any LikelihoodScorer)? = nil,
        teacher: (any ChatModel)? = nil, judge: (any ChatModel)? = nil, classifier: (any ChatModel)? = nil
    ) {
        self.student = student
        self.studentScorer = studentScorer
        self.teacher = teacher
        self.judge = judge
        self.classifier = classifier
    }
}
