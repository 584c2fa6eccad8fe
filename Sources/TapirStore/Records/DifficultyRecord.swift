import GRDB
import TapirCore

/// A row of `difficulty`: one difficulty measure of an instruction in a round.
public struct DifficultyRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "difficulty"

    public var instructionID: Int64
    public var round: Int
    public var kind: DifficultyKind
    public var value: Double

    public init(instructionID: Int64, round: Int, kind: DifficultyKind, value: Double) {
        self.instructionID = instructionID
        self.round = round
        self.kind = kind
        self.value = value
    }

    enum CodingKeys: String, CodingKey {
        case round, kind, value
        case instructionID = "instruction_id"
    }

    /// Decodes a fetched row column by column (cheaper than the `Codable` path).
    public init(row: Row) throws {
        instructionID = try row.decode(Int64.self, forColumn: "instruction_id")
        round = try row.decode(Int.self, forColumn: "round")
        kind = try row.decodeEnum(DifficultyKind.self, "kind", table: Self.databaseTableName)
        value = try row.decode(Double.self, forColumn: "value")
    }
}

/// A row of `selection`: whether an instruction is hard in a round (value > δ).
public struct SelectionRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "selection"

    public var instructionID: Int64
    public var round: Int
    public var hard: Bool
    /// The difficulty value compared with δ.
    public var value: Double
    /// δ used.
    public var delta: Double

    public init(instructionID: Int64, round: Int, hard: Bool, value: Double, delta: Double) {
        self.instructionID = instructionID
        self.round = round
        self.hard = hard
        self.value = value
        self.delta = delta
    }

    enum CodingKeys: String, CodingKey {
        case round, hard, value, delta
        case instructionID = "instruction_id"
    }

    /// Decodes a fetched row column by column (cheaper than the `Codable` path).
    public init(row: Row) throws {
        instructionID = try row.decode(Int64.self, forColumn: "instruction_id")
        round = try row.decode(Int.self, forColumn: "round")
        hard = try row.decode(Bool.self, forColumn: "hard")
        value = try row.decode(Double.self, forColumn: "value")
        delta = try row.decode(Double.self, forColumn: "delta")
    }
}
