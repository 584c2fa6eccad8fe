import Foundation

/// Turns one decoded JSON object into a `DatasetRecord` (or the reason it cannot be one).
public struct DatasetRecordParser: Sendable {
    public var format: DatasetFormat
    /// Field holding the category label (`category` by default).
    public var categoryField: String

    public init(format: DatasetFormat = .auto, categoryField: String = "category") {
        self.format = format
        self.categoryField = categoryField
    }

    /// Parses a decoded JSON value found at `location`.
    public func parse(_ json: Any, at location: DatasetLocation) -> Result<DatasetRecord, DatasetIssue> {
        func fail(_ reason: DatasetIssue.Reason) -> Result<DatasetRecord, DatasetIssue> {
            .failure(DatasetIssue(location: location, reason: reason))
        }
        guard let object = json as? [String: Any] else { return fail(.notAnObject) }
        let layout: DatasetFormat
        switch format {
        case .auto:
            if object["conversations"] != nil { layout = .sharegpt }
            else if object["messages"] != nil { layout = .messages }
            else if object["instruction"] != nil { layout = .alpaca }
            else { return fail(.missingInstruction(expected: "an `instruction`, `conversations` or `messages` field")) }
        default:
            layout = format
        }
        let category: String?
        if let label = object[categoryField] as? String {
            let trimmed = label.trimmingCharacters(in: .whitespacesAndNewlines)
            category = trimmed.isEmpty ? nil : trimmed
        } else {
            category = nil
        }
        let parsed: Result<(String, String, String?), DatasetIssue.Reason>
        switch layout {
        case .alpaca, .auto: parsed = Self.alpaca(object)
        case .sharegpt: parsed = Self.turns(object, key: "conversations", roleKey: "from", contentKey: "value",
                                            user: ["human", "user"], assistant: ["gpt", "assistant", "model", "chatgpt", "bard"])
        case .messages: parsed = Self.turns(object, key: "messages", roleKey: "role", contentKey: "content",
                                            user: ["user"], assistant: ["assistant"])
        }
        switch parsed {
        case let .failure(reason):
            return fail(reason)
        case let .success((instruction, input, output)):
            return .success(DatasetRecord(instruction: instruction, input: input, output: output, category: category,
                                          format: layout, location: location))
        }
    }

    static func isBlank(_ s: String) -> Bool {
        s.allSatisfy { $0.isWhitespace }
    }

    static func alpaca(_ object: [String: Any]) -> Result<(String, String, String?), DatasetIssue.Reason> {
        guard let raw = object["instruction"], !(raw is NSNull) else {
            return .failure(.missingInstruction(expected: "an `instruction` field"))
        }
        guard let instruction = raw as? String else { return .failure(.wrongType(field: "instruction", expected: "a string")) }
        guard !isBlank(instruction) else { return .failure(.emptyText(field: "instruction")) }
        var input = ""
        if let value = object["input"], !(value is NSNull) {
            guard let s = value as? String else { return .failure(.wrongType(field: "input", expected: "a string")) }
            input = s
        }
        var output: String?
        if let value = object["output"], !(value is NSNull) {
            guard let s = value as? String else { return .failure(.wrongType(field: "output", expected: "a string")) }
            output = isBlank(s) ? nil : s
        }
        return .success((instruction, isBlank(input) ? "" : input, output))
    }

    /// The first user turn and the assistant turn after it.
    static func turns(_ object: [String: Any], key: String, roleKey: String, contentKey: String,
                      user: Set<String>, assistant: Set<String>) -> Result<(String, String, String?), DatasetIssue.Reason> {
        guard let raw = object[key], !(raw is NSNull) else {
            return .failure(.missingInstruction(expected: "a `\(key)` list"))
        }
        guard let turns = raw as? [Any] else { return .failure(.wrongType(field: key, expected: "a list of turns")) }
        var instruction: String?
        var output: String?
        for (i, item) in turns.enumerated() {
            guard let turn = item as? [String: Any] else {
                return .failure(.wrongType(field: "\(key)[\(i)]", expected: "an object with `\(roleKey)` and `\(contentKey)`"))
            }
            guard let role = turn[roleKey] as? String else {
                return .failure(.wrongType(field: "\(key)[\(i)].\(roleKey)", expected: "a string"))
            }
            guard let content = text(of: turn[contentKey]) else {
                return .failure(.wrongType(field: "\(key)[\(i)].\(contentKey)", expected: "a string"))
            }
            let r = role.lowercased()
            if instruction == nil {
                if user.contains(r) {
                    guard !isBlank(content) else { return .failure(.emptyText(field: "\(key)[\(i)].\(contentKey)")) }
                    instruction = content
                }
            } else if assistant.contains(r) {
                output = isBlank(content) ? nil : content
                break
            } else if user.contains(r) {
                break
            }
        }
        guard let instruction else {
            return .failure(.missingInstruction(expected: "a `\(key)` turn from \(user.sorted().map { "`\($0)`" }.joined(separator: " or "))"))
        }
        return .success((instruction, "", output))
    }

    /// A message content: a string, or OpenAI content parts whose `text` parts are joined.
    static func text(of value: Any?) -> String? {
        if let s = value as? String { return s }
        if let parts = value as? [Any] {
            var pieces: [String] = []
            for part in parts {
                guard let object = part as? [String: Any] else { return nil }
                if let t = object["text"] as? String { pieces.append(t) }
            }
            return pieces.joined(separator: "\n")
        }
        return nil
    }
}
