/// A chat prompt with `{{placeholders}}`: an optional system message and a user message.
public struct PromptTemplate: Sendable, Hashable {
    enum Segment: Sendable, Hashable {
        case literal(String)
        case placeholder(String)
    }

    public let name: PromptTemplateName
    /// Where the template came from: an override file's path, or nil for the built-in default.
    public let file: String?
    public let systemText: String?
    public let userText: String
    private let systemSegments: [Segment]
    private let userSegments: [Segment]

    /// Parses and checks a template: every `{{name}}` must be one of the template's
    /// placeholders and every placeholder must appear.
    /// `systemLine` and `userLine` are the file lines where each text starts (for error messages).
    public init(
        name: PromptTemplateName, system: String?, user: String, file: String? = nil, systemLine: Int = 1, userLine: Int = 1
    ) throws {
        self.name = name
        self.file = file
        self.systemText = system
        self.userText = user
        let systemLineOffset = systemLine - 1
        let userLineOffset = userLine - 1
        systemSegments = try system.map { try Self.parse($0, name: name, file: file, lineOffset: systemLineOffset) } ?? []
        userSegments = try Self.parse(user, name: name, file: file, lineOffset: userLineOffset)
        let used = Set((systemSegments + userSegments).compactMap { segment -> String? in
            if case let .placeholder(p) = segment { return p }
            return nil
        })
        let known = Set(name.placeholders.map(\.name))
        for placeholder in used.sorted() where !known.contains(placeholder) {
            throw PromptError.unknownPlaceholder(name: placeholder, template: name.rawValue, file: file)
        }
        for placeholder in name.placeholders where !used.contains(placeholder.name) {
            throw PromptError.missingPlaceholder(name: placeholder.name, template: name.rawValue, file: file)
        }
    }

    /// The messages with every placeholder filled; data values are escaped and delimited.
    public func render(_ values: [String: PromptValue]) throws -> [ChatMessage] {
        var filled: [String: String] = [:]
        for placeholder in name.placeholders {
            guard let value = values[placeholder.name] else {
                throw PromptError.missingValue(placeholder: placeholder.name, template: name.rawValue)
            }
            switch (placeholder.kind, value) {
            case let (.text, .text(text)):
                filled[placeholder.name] = text
            case let (.data(label), .text(text)):
                filled[placeholder.name] = PromptDelimiter.wrap(text, label: label)
            case let (.dataList(label), .list(texts)):
                filled[placeholder.name] = texts.enumerated()
                    .map { PromptDelimiter.wrap($1, label: "\(label)_\($0 + 1)") }
                    .joined(separator: "\n\n")
            default:
                throw PromptError.wrongValueKind(placeholder: placeholder.name, template: name.rawValue)
            }
        }
        func assemble(_ segments: [Segment]) -> String {
            segments.map { segment in
                switch segment {
                case let .literal(text): text
                case let .placeholder(p): filled[p] ?? ""
                }
            }.joined()
        }
        var messages: [ChatMessage] = []
        if systemText != nil { messages.append(.system(assemble(systemSegments))) }
        messages.append(.user(assemble(userSegments)))
        return messages
    }

    static func parse(_ text: String, name: PromptTemplateName, file: String?, lineOffset: Int) throws -> [Segment] {
        var segments: [Segment] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { segments.append(.literal(String(rest[..<open.lowerBound]))) }
            let after = rest[open.upperBound...]
            guard let close = after.range(of: "}}") else {
                let line = lineOffset + text[..<open.lowerBound].filter { $0 == "\n" }.count + 1
                throw PromptError.unterminatedPlaceholder(template: name.rawValue, file: file, line: line)
            }
            segments.append(.placeholder(after[..<close.lowerBound].trimmingCharacters(in: .whitespaces)))
            rest = after[close.upperBound...]
        }
        if !rest.isEmpty { segments.append(.literal(String(rest))) }
        return segments
    }
}

import Foundation
