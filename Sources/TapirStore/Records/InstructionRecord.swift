import Foundation
import GRDB
import TapirCore

/// A row of `instructions`: one instruction (seed or expansion) and its labels.
public struct InstructionRecord: Codable, Sendable, Hashable, Identifiable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "instructions"

    public var id: Int64?
    public var text: String
    /// The optional input (context) of an Alpaca-style instruction; empty when none.
    public var input: String
    public var source: InstructionSource
    /// The seed an expansion was written from.
    public var parentID: Int64?
    public var category: String?
    public var categorySource: CategorySource?
    public var split: DataSplit
    public var state: InstructionState
    /// `InstructionFingerprint` of the normalised text and input; unique.
    public var normHash: String
    /// Dataset file the instruction came from.
    public var originFile: String?
    /// 1-based line (JSONL) or 0-based index (JSON array) in `originFile`.
    public var originLine: Int?
    /// 0 for imported seeds, the round number for expansions.
    public var createdRound: Int
    public var createdAt: Date

    public init(
        id: Int64? = nil, text: String, input: String = "", source: InstructionSource, parentID: Int64? = nil,
        category: String? = nil, categorySource: CategorySource? = nil, split: DataSplit = .train,
        state: InstructionState = .active, normHash: String? = nil, originFile: String? = nil,
        originLine: Int? = nil, createdRound: Int = 0, createdAt: Date = Date()
    ) {
        self.id = id
        self.text = text
        self.input = input
        self.source = source
        self.parentID = parentID
        self.category = category
        self.categorySource = categorySource
        self.split = split
        self.state = state
        self.normHash = normHash ?? InstructionFingerprint.hash(instruction: text, input: input)
        self.originFile = originFile
        self.originLine = originLine
        self.createdRound = createdRound
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, text, input, source, category, split, state
        case parentID = "parent_id", categorySource = "category_source", normHash = "norm_hash"
        case originFile = "origin_file", originLine = "origin_line", createdRound = "created_round"
        case createdAt = "created_at"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
