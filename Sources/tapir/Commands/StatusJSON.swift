import Foundation
import TapirEngine
import TapirStore

/// What `tapir status --json` prints: every field of `StatusSummary` at the top level, plus
/// `engine` with the engine's control state (the text status's "Engine: paused: …" line).
struct StatusJSON: Encodable {
    /// The engine's control state.
    struct Engine: Encodable, Hashable {
        /// Whether the engine is paused (by request or by a budget cap).
        var paused: Bool
        /// Why it is paused; nil when it is not.
        var pauseReason: String?
        /// Endpoint roles paused after repeated failures (they refuse calls until `tapir resume`).
        var pausedRoles: [String]
    }

    var summary: StatusSummary
    var engine: Engine

    private enum CodingKeys: String, CodingKey { case engine }

    init(summary: StatusSummary, pausedValue: String?) {
        self.summary = summary
        let reason = pausedValue.flatMap { BudgetPause.describe(pausedValue: $0) }
        engine = Engine(paused: reason != nil, pauseReason: reason,
                        pausedRoles: summary.roleHealth.filter(\.isPaused).map(\.role.rawValue).sorted())
    }

    func encode(to encoder: any Encoder) throws {
        // The summary's keys and `engine` share one JSON object.
        try summary.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(engine, forKey: .engine)
    }

    /// The pretty-printed JSON text.
    func rendered() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
