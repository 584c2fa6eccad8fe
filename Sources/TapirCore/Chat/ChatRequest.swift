/// Why a call is made: which role, stage and round pay for it. Used by the cost ledger
/// and the call log; it does not take part in the cache key.
public struct CallPurpose: Codable, Sendable, Hashable {
    public var role: ModelRole
    public var stage: Stage?
    public var round: Int?

    public init(role: ModelRole, stage: Stage? = nil, round: Int? = nil) {
        self.role = role
        self.stage = stage
        self.round = round
    }
}

/// One completion request to a `ChatModel`.
public struct ChatRequest: Sendable, Hashable {
    public var messages: [ChatMessage]
    public var sampling: SamplingParameters
    public var purpose: CallPurpose?

    public init(messages: [ChatMessage], sampling: SamplingParameters = SamplingParameters(), purpose: CallPurpose? = nil) {
        self.messages = messages
        self.sampling = sampling
        self.purpose = purpose
    }
}
