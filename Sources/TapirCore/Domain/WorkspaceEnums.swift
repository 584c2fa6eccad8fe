/// Which split an instruction belongs to. Eval instructions are never trained on.
public enum DataSplit: String, Codable, Sendable, Hashable, CaseIterable {
    case train, eval
}

/// Where an instruction came from.
public enum InstructionSource: String, Codable, Sendable, Hashable, CaseIterable {
    /// Imported from a dataset file.
    case dataset
    /// Written by the teacher in the expand stage.
    case expansion
}

/// Lifecycle of an instruction. Seeds are `active`; expansions start `pending` and become
/// `active` once approved or edited, `rejected` otherwise.
public enum InstructionState: String, Codable, Sendable, Hashable, CaseIterable {
    case active, pending, rejected
}

/// The review decision on an expansion in the approval queue.
public enum ExpansionState: String, Codable, Sendable, Hashable, CaseIterable {
    case pending, approved, rejected, edited
}

/// Who wrote a response.
public enum ResponseRole: String, Codable, Sendable, Hashable, CaseIterable {
    /// The student's answer.
    case student
    /// The teacher's (or dataset's) reference answer.
    case teacher
    /// The teacher's task-specific rewrite of a teacher response.
    case refined
}

/// The measure of how hard an instruction is for the student.
public enum DifficultyKind: String, Codable, Sendable, Hashable, CaseIterable {
    /// Model fitting difficulty: mean judge score of teacher minus student.
    case judge
    /// Instruction-following difficulty: PPL(y|x) / PPL(y) under the student.
    case ifd
    /// Mean token NLL of the teacher response under the student.
    case nll
}
