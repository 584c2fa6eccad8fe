import Foundation
import GRDB
import TapirCore

/// A row of `events`: one engine log line for the dashboard's Logs screen.
public struct EventRecord: Codable, Sendable, Hashable, Identifiable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "events"

    public var id: Int64?
    public var time: Date
    public var level: EventLevel
    /// The component that wrote it (`engine`, `judge`, `trainer`, …).
    public var source: String
    public var message: String
    public var round: Int?
    public var stage: Stage?

    public init(id: Int64? = nil, time: Date = Date(), level: EventLevel, source: String, message: String,
                round: Int? = nil, stage: Stage? = nil) {
        self.id = id
        self.time = time
        self.level = level
        self.source = source
        self.message = message
        self.round = round
        self.stage = stage
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A row of `control`: one human decision the engine reads.
public struct ControlRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "control"

    public var key: String
    public var value: String
    public var updatedAt: Date

    public init(key: String, value: String, updatedAt: Date = Date()) {
        self.key = key
        self.value = value
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case key, value
        case updatedAt = "updated_at"
    }
}
