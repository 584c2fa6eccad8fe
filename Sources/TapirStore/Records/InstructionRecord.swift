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

    /// Decodes a fetched row column by column (the engine reads tens of thousands at a
    /// time; the `Codable` path cost more than the query).
    public init(row: Row) throws {
        id = try row.decode(Int64?.self, forColumn: "id")
        text = try row.decode(String.self, forColumn: "text")
        input = try row.decode(String.self, forColumn: "input")
        source = try row.decodeEnum(InstructionSource.self, "source", table: Self.databaseTableName)
        parentID = try row.decode(Int64?.self, forColumn: "parent_id")
        category = try row.decode(String?.self, forColumn: "category")
        categorySource = try row.decodeEnumIfPresent(CategorySource.self, "category_source", table: Self.databaseTableName)
        split = try row.decodeEnum(DataSplit.self, "split", table: Self.databaseTableName)
        state = try row.decodeEnum(InstructionState.self, "state", table: Self.databaseTableName)
        normHash = try row.decode(String.self, forColumn: "norm_hash")
        originFile = try row.decode(String?.self, forColumn: "origin_file")
        originLine = try row.decode(Int?.self, forColumn: "origin_line")
        createdRound = try row.decode(Int.self, forColumn: "created_round")
        createdAt = try row.decode(Date.self, forColumn: "created_at")
    }
}

extension Row {
    /// The raw-value enum stored in `column`; throws `StoreError.unknownValue` for an unknown value.
    func decodeEnum<Value: RawRepresentable>(_ type: Value.Type, _ column: String, table: String) throws -> Value
    where Value.RawValue == String {
        let raw = try decode(String.self, forColumn: column)
        guard let value = Value(rawValue: raw) else { throw StoreError.unknownValue(table: table, column: column, value: raw) }
        return value
    }

    /// Like `decodeEnum`, `nil` for NULL.
    func decodeEnumIfPresent<Value: RawRepresentable>(_ type: Value.Type, _ column: String, table: String) throws -> Value?
    where Value.RawValue == String {
        guard let raw = try decode(String?.self, forColumn: column) else { return nil }
        guard let value = Value(rawValue: raw) else { throw StoreError.unknownValue(table: table, column: column, value: raw) }
        return value
    }
}
