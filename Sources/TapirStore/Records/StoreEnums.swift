/// Who set an instruction's category.
public enum CategorySource: String, Codable, Sendable, Hashable, CaseIterable {
    /// The imported dataset's label.
    case dataset
    /// A classifier model (or the native likelihood classifier).
    case model
}

/// Outcome of one judgement.
public enum JudgementStatus: String, Codable, Sendable, Hashable, CaseIterable {
    case ok, failed
}

/// Where a round's current stage stands.
public enum StageState: String, Codable, Sendable, Hashable, CaseIterable {
    case pending, running, done, failed
}

/// Outcome of one LLM call.
public enum LLMCallStatus: String, Codable, Sendable, Hashable, CaseIterable {
    case ok, error
}

/// Lifecycle of a trainer subprocess.
public enum TrainerRunStatus: String, Codable, Sendable, Hashable, CaseIterable {
    case running, succeeded, failed
    /// No trainer configured: the round completed without training.
    case skipped
}

/// Student vs reference on a held-out instruction.
public enum EvaluationVerdict: String, Codable, Sendable, Hashable, CaseIterable {
    case win, tie, loss
}

/// Severity of an engine event.
public enum EventLevel: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
    case debug, info, warning, error

    public static func < (lhs: EventLevel, rhs: EventLevel) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Keys of the `control` table: human decisions written by the dashboard or CLI and read
/// by the engine.
public enum ControlKey: String, Codable, Sendable, Hashable, CaseIterable {
    /// "true" while the engine should pause between work items.
    case paused
    /// δ to use from the next select stage on (a number as text).
    case deltaNext = "delta_next"
    /// Stop the engine after this stage completes (a `Stage` raw value).
    case stopAfterStage = "stop_after_stage"
}
