/// How a model turns its next-token distribution into text.
///
/// `nil` fields mean "the model's or endpoint's default". Every field takes part
/// in the call-cache key, so two requests that differ only here are different calls.
public struct SamplingParameters: Codable, Sendable, Hashable {
    /// 0 means greedy.
    public var temperature: Double?
    public var topP: Double?
    public var topK: Int?
    public var maxTokens: Int?
    public var seed: UInt64?
    /// Generation stops before the first occurrence of any of these strings.
    public var stop: [String]
    public var repetitionPenalty: Double?
    /// Ask the endpoint for a JSON object reply (`response_format: {"type": "json_object"}`).
    public var jsonMode: Bool

    public init(
        temperature: Double? = nil, topP: Double? = nil, topK: Int? = nil, maxTokens: Int? = nil,
        seed: UInt64? = nil, stop: [String] = [], repetitionPenalty: Double? = nil, jsonMode: Bool = false
    ) {
        self.temperature = temperature
        self.topP = topP
        self.topK = topK
        self.maxTokens = maxTokens
        self.seed = seed
        self.stop = stop
        self.repetitionPenalty = repetitionPenalty
        self.jsonMode = jsonMode
    }

    /// Deterministic decoding: temperature 0.
    public static let greedy = SamplingParameters(temperature: 0)
}
