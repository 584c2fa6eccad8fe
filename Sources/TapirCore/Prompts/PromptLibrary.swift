import Foundation

/// The prompt templates in use: built-in defaults, each replaceable by a file in the
/// workspace's `prompts/` folder named after the template (`judge.txt` or `judge.md`, see
/// `PromptTemplateName`).
///
/// Override file format: lines `[system]` and `[user]` start the two messages. A file without
/// them is the user message alone, and the default system message is kept. Files whose
/// names start with `README` or `.` are ignored; any other `.txt`/`.md` file that is not a
/// template name is an error, so a misspelt override never goes unnoticed.
public struct PromptLibrary: Sendable {
    private var templates: [PromptTemplateName: PromptTemplate]

    /// The built-in templates.
    public init() {
        var templates: [PromptTemplateName: PromptTemplate] = [:]
        for name in PromptTemplateName.allCases {
            let text = DefaultPrompts.text(for: name)
            // The defaults are checked by the test suite; a failure here is a programming error.
            templates[name] = try! PromptTemplate(name: name, system: text.system, user: text.user)
        }
        self.templates = templates
    }

    /// The defaults with overrides from `overridesDirectory` (a missing folder means no overrides).
    public init(overridesDirectory: URL) throws {
        self.init()
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: overridesDirectory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return
        }
        let entries: [String]
        do {
            entries = try manager.contentsOfDirectory(atPath: overridesDirectory.path).sorted()
        } catch {
            throw PromptError.unreadableFile(file: overridesDirectory.path, reason: error.localizedDescription)
        }
        for entry in entries where !entry.hasPrefix(".") && !entry.uppercased().hasPrefix("README") {
            let url = overridesDirectory.appendingPathComponent(entry)
            let ext = url.pathExtension.lowercased()
            guard ext == "txt" || ext == "md" else { continue }
            let base = url.deletingPathExtension().lastPathComponent
            guard let name = PromptTemplateName(rawValue: base) else {
                throw PromptError.unknownTemplateFile(file: url.path)
            }
            let contents: String
            do {
                contents = try String(contentsOf: url, encoding: .utf8)
            } catch {
                throw PromptError.unreadableFile(file: url.path, reason: error.localizedDescription)
            }
            let parts = Self.sections(contents)
            templates[name] = try PromptTemplate(
                name: name, system: parts.system ?? DefaultPrompts.text(for: name).system, user: parts.user,
                file: url.path, systemLine: parts.systemLine, userLine: parts.userLine)
        }
    }

    /// The template in use for `name`.
    public func template(_ name: PromptTemplateName) -> PromptTemplate { templates[name]! }

    /// The chat messages for `name` with `values` filled in.
    public func render(_ name: PromptTemplateName, values: [String: PromptValue]) throws -> [ChatMessage] {
        try template(name).render(values)
    }

    /// Splits an override file into its `[system]` and `[user]` parts, with the file line each
    /// part starts on. Trailing white space of each part is trimmed.
    static func sections(_ contents: String) -> (system: String?, user: String, systemLine: Int, userLine: Int) {
        let lines = contents.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        var system: [Substring]?
        var user: [Substring]?
        var systemLine = 1, userLine = 1
        var inSystem: Bool?
        for (index, line) in lines.enumerated() {
            switch line.trimmingCharacters(in: .whitespaces).lowercased() {
            case "[system]":
                inSystem = true
                if system == nil { system = []; systemLine = index + 2 }
            case "[user]":
                inSystem = false
                if user == nil { user = []; userLine = index + 2 }
            default:
                if inSystem == true { system!.append(line) } else if inSystem == false { user!.append(line) }
            }
        }
        func join(_ part: [Substring]) -> String {
            var text = part.joined(separator: "\n")
            while let last = text.last, last.isWhitespace { text.removeLast() }
            return text
        }
        guard system != nil || user != nil else { return (nil, join(lines), 1, 1) }
        return (system.map(join), join(user ?? []), systemLine, userLine)
    }
}
