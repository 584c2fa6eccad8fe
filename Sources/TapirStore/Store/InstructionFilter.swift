import GRDB
import TapirCore

/// Which instructions a query covers; `nil` fields do not filter.
public struct InstructionFilter: Sendable, Hashable {
    public var split: DataSplit?
    public var state: InstructionState?
    public var source: InstructionSource?
    /// Exact category name.
    public var category: String?
    /// Only instructions without a category.
    public var uncategorized: Bool
    /// Round the instruction was created in (0: imported seeds).
    public var createdRound: Int?
    /// Case-insensitive substring of the instruction text or input.
    public var search: String?

    public init(split: DataSplit? = nil, state: InstructionState? = nil, source: InstructionSource? = nil,
                category: String? = nil, uncategorized: Bool = false, createdRound: Int? = nil, search: String? = nil) {
        self.split = split
        self.state = state
        self.source = source
        self.category = category
        self.uncategorized = uncategorized
        self.createdRound = createdRound
        self.search = search
    }

    /// Active train-split instructions: what the curriculum works on.
    public static let activeTrain = InstructionFilter(split: .train, state: .active)
    /// Active eval-split instructions: the held-out set.
    public static let activeEval = InstructionFilter(split: .eval, state: .active)

    /// SQL condition on table alias `i` and its arguments.
    func sql(alias: String = "i") -> (String, StatementArguments) {
        var parts = ["1"]
        var args: [String: (any DatabaseValueConvertible)?] = [:]
        if let split { parts.append("\(alias).split = :split"); args["split"] = split.rawValue }
        if let state { parts.append("\(alias).state = :state"); args["state"] = state.rawValue }
        if let source { parts.append("\(alias).source = :source"); args["source"] = source.rawValue }
        if let category { parts.append("\(alias).category = :category"); args["category"] = category }
        if uncategorized { parts.append("\(alias).category IS NULL") }
        if let createdRound { parts.append("\(alias).created_round = :createdRound"); args["createdRound"] = createdRound }
        if let search, !search.isEmpty {
            parts.append("(\(alias).text LIKE :search ESCAPE '\\' OR \(alias).input LIKE :search ESCAPE '\\')")
            let escaped = search.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
            args["search"] = "%\(escaped)%"
        }
        return (parts.joined(separator: " AND "), StatementArguments(args))
    }
}

/// Sort order of instruction listings.
public enum InstructionOrder: Sendable, Hashable {
    case id
    case newestFirst
    case category
}
