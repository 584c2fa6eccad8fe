import Foundation
import GRDB
import TapirCore

/// A row of `expansions`: the approval-queue entry of an instruction the teacher wrote.
/// The instruction itself is in `instructions` (source `expansion`).
public struct ExpansionRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "expansions"

    /// The new instruction.
    public var instructionID: Int64
    /// The hard seed it was written from.
    public var parentID: Int64?
    public var round: Int
    public var state: ExpansionState
    /// The teacher's text, kept when a reviewer edits the instruction.
    public var originalText: String
    public var reviewerNote: String?
    /// Highest similarity to an existing instruction (0–1).
    public var similarity: Double?
    /// The most similar existing instructions, most similar first.
    public var nearestIDs: [Int64]
    public var createdAt: Date
    public var reviewedAt: Date?

    public init(
        instructionID: Int64, parentID: Int64?, round: Int, state: ExpansionState = .pending, originalText: String,
        reviewerNote: String? = nil, similarity: Double? = nil, nearestIDs: [Int64] = [], createdAt: Date = Date(),
        reviewedAt: Date? = nil
    ) {
        self.instructionID = instructionID
        self.parentID = parentID
        self.round = round
        self.state = state
        self.originalText = originalText
        self.reviewerNote = reviewerNote
        self.similarity = similarity
        self.nearestIDs = nearestIDs
        self.createdAt = createdAt
        self.reviewedAt = reviewedAt
    }

    enum CodingKeys: String, CodingKey {
        case round, state, similarity
        case instructionID = "instruction_id", parentID = "parent_id", originalText = "original_text"
        case reviewerNote = "reviewer_note", nearestIDs = "nearest_ids", createdAt = "created_at"
        case reviewedAt = "reviewed_at"
    }
}

/// A reviewer's decision on a pending expansion.
public enum ExpansionDecision: Sendable, Hashable {
    case approve
    case reject
    /// Approve with a corrected instruction text.
    case edit(text: String)
}
