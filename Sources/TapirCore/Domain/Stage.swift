/// The stages of one curriculum round, in execution order.
public enum Stage: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
    case answer, teach, judge, select, classify, expand, refine, compose, train, evaluate

    /// Position in the round (0-based).
    public var index: Int { Stage.allCases.firstIndex(of: self)! }

    public static func < (lhs: Stage, rhs: Stage) -> Bool { lhs.index < rhs.index }
}

/// The parts a model can play in the pipeline.
public enum ModelRole: String, Codable, Sendable, Hashable, CaseIterable {
    case student, teacher, judge, classifier
}
