import Foundation
import GRDB
import TapirCore

/// A row of `responses`: one answer to an instruction by a role in a round. Unique per
/// (instruction, role, round); dataset outputs are teacher responses of round 0.
public struct ResponseRecord: Codable, Sendable, Hashable, Identifiable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "responses"

    public var id: Int64?
    public var instructionID: Int64
    public var role: ResponseRole
    public var round: Int
    /// Model name, or `dataset` for imported outputs.
    public var model: String
    public var text: String
    public var promptTokens: Int?
    public var completionTokens: Int?
    /// Seconds.
    public var latency: Double?
    /// Where it came from: `file:line` for dataset outputs, the LLM call's request hash, …
    public var origin: String?
    public var createdAt: Date

    public init(
        id: Int64? = nil, instructionID: Int64, role: ResponseRole, round: Int, model: String, text: String,
        promptTokens: Int? = nil, completionTokens: Int? = nil, latency: Double? = nil, origin: String? = nil,
        createdAt: Date = Date()
    ) {
        self.id = id
        self.instructionID = instructionID
        self.role = role
        self.round = round
        self.model = model
        self.text = text
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.latency = latency
        self.origin = origin
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, role, round, model, text, latency, origin
        case instructionID = "instruction_id", promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens", createdAt = "created_at"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// Decodes a fetched row column by column (cheaper than the `Codable` path).
    public init(row: Row) throws {
        id = try row.decode(Int64?.self, forColumn: "id")
        instructionID = try row.decode(Int64.self, forColumn: "instruction_id")
        role = try row.decodeEnum(ResponseRole.self, "role", table: Self.databaseTableName)
        round = try row.decode(Int.self, forColumn: "round")
        model = try row.decode(String.self, forColumn: "model")
        text = try row.decode(String.self, forColumn: "text")
        promptTokens = try row.decode(Int?.self, forColumn: "prompt_tokens")
        completionTokens = try row.decode(Int?.self, forColumn: "completion_tokens")
        latency = try row.decode(Double?.self, forColumn: "latency")
        origin = try row.decode(String?.self, forColumn: "origin")
        createdAt = try row.decode(Date.self, forColumn: "created_at")
    }
}
