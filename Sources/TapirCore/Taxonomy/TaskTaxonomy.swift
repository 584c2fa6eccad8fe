import Foundation

/// The set of task categories with their target shares. Configuration, not code:
/// `TaskTaxonomy.tapirDefault` only seeds a new workspace's `tapir.yaml`.
public struct TaskTaxonomy: Codable, Sendable, Hashable {
    public var categories: [TaskCategory]

    /// The label an unknown or unparseable classification falls back to.
    public static let fallbackCategory = "Others"

    public init(categories: [TaskCategory]) {
        self.categories = categories
    }

    public var names: [String] { categories.map(\.name) }

    /// Target share of `name`, or 0 when the category is not in the taxonomy.
    public func targetShare(of name: String) -> Double {
        categories.first { $0.name == name }?.targetShare ?? 0
    }

    /// The category whose name matches `label` ignoring case and surrounding space, if any.
    public func category(matching label: String) -> TaskCategory? {
        let wanted = label.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        return categories.first { $0.name.lowercased() == wanted }
    }

    /// Sum of all target shares (1 for a valid taxonomy).
    public var totalShare: Double { categories.reduce(0) { $0 + $1.targetShare } }

    /// TAPIR's 32 labels and the target mix its authors' toolkit uses.
    public static let tapirDefault = TaskTaxonomy(categories: [
        TaskCategory(name: "Math", targetShare: 0.167),
        TaskCategory(name: "Reasoning", targetShare: 0.167),
        TaskCategory(name: "Code Generation", targetShare: 0.083),
        TaskCategory(name: "Code Debug", targetShare: 0.083),
        TaskCategory(name: "Others", targetShare: 0.041),
    ] + [
        "Writing", "Computer Science", "Complex Format", "Common-Sense", "Counterfactual",
        "Multilingual", "Roleplay", "Biology", "Technology", "Ethics", "Sport", "Law", "Medicine",
        "Literature", "Entertainment", "Art", "Music", "Toxicity", "Economy", "Physics", "History",
        "Chemistry", "Philosophy", "Health", "Ecology", "Grammar", "Paraphrase",
    ].map { TaskCategory(name: $0, targetShare: 0.017) })
}
