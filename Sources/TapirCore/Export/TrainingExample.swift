/// One instruction–response pair of a training set, ready to export.
public struct TrainingExample: Codable, Sendable, Hashable {
    public var instruction: String
    /// Optional context; empty when none.
    public var input: String
    public var output: String
    public var category: String?
    /// Whether the curriculum counted it as hard (`nil` before any selection).
    public var hard: Bool?
    /// The workspace instruction it came from.
    public var instructionID: Int64?

    public init(instruction: String, input: String = "", output: String, category: String? = nil,
                hard: Bool? = nil, instructionID: Int64? = nil) {
        self.instruction = instruction
        self.input = input
        self.output = output
        self.category = category
        self.hard = hard
        self.instructionID = instructionID
    }

    /// The user turn for chat formats: the instruction, then the input after a blank line.
    public var prompt: String {
        input.isEmpty ? instruction : instruction + "\n\n" + input
    }
}
