/// One task category and its target share of a training mix.
public struct TaskCategory: Codable, Sendable, Hashable {
    public var name: String
    public var targetShare: Double

    public init(name: String, targetShare: Double) {
        self.name = name
        self.targetShare = targetShare
    }
}
