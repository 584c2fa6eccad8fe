/// The seven dashboard screens, in tab order (keys 1–7).
public enum Screen: Int, CaseIterable, Sendable, Hashable {
    case rounds = 1, tasks, scores, hardQueue, review, samples, logs

    /// Tab title.
    public var title: String {
        switch self {
        case .rounds: "Rounds"
        case .tasks: "Tasks"
        case .scores: "Scores"
        case .hardQueue: "Hard queue"
        case .review: "Review"
        case .samples: "Samples"
        case .logs: "Logs"
        }
    }

    /// The keymap scope of this screen.
    public var scope: String {
        switch self {
        case .rounds: "rounds"
        case .tasks: "tasks"
        case .scores: "scores"
        case .hardQueue: "hard-queue"
        case .review: "review"
        case .samples: "samples"
        case .logs: "logs"
        }
    }

    /// The next (or previous, with `step` -1) screen, wrapping around.
    public func cycled(_ step: Int) -> Screen {
        let n = Screen.allCases.count
        return Screen(rawValue: ((rawValue - 1 + step) % n + n) % n + 1)!
    }
}
