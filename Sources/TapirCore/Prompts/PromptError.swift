/// Why a prompt template could not be loaded or rendered.
public enum PromptError: Error, Sendable, Hashable, CustomStringConvertible {
    /// An override uses a `{{name}}` the template does not take.
    case unknownPlaceholder(name: String, template: String, file: String?)
    /// An override leaves out a placeholder, which would silently drop data from the prompt.
    case missingPlaceholder(name: String, template: String, file: String?)
    /// `{{` without a matching `}}`.
    case unterminatedPlaceholder(template: String, file: String?, line: Int)
    /// A file in the prompts folder whose name is no template's.
    case unknownTemplateFile(file: String)
    /// The override file could not be read.
    case unreadableFile(file: String, reason: String)
    /// `render` was not given a value for a placeholder (or gave a list for a text, or vice versa).
    case missingValue(placeholder: String, template: String)
    case wrongValueKind(placeholder: String, template: String)

    public var description: String {
        switch self {
        case let .unknownPlaceholder(name, template, file):
            "\(file ?? "built-in template \(template)"): unknown placeholder {{\(name)}}; template '\(template)' takes "
                + (PromptTemplateName(rawValue: template)?.placeholders.map { "{{\($0.name)}}" }.joined(separator: ", ") ?? "none")
        case let .missingPlaceholder(name, template, file):
            "\(file ?? "built-in template \(template)"): placeholder {{\(name)}} is missing; template '\(template)' needs it"
        case let .unterminatedPlaceholder(template, file, line):
            "\(file ?? "built-in template \(template)"):\(line): '{{' without a closing '}}'"
        case let .unknownTemplateFile(file):
            "\(file): no prompt template has this name; valid names: "
                + PromptTemplateName.allCases.map(\.rawValue).joined(separator: ", ") + " (with .txt or .md)"
        case let .unreadableFile(file, reason):
            "\(file): cannot read prompt override (\(reason))"
        case let .missingValue(placeholder, template):
            "prompt '\(template)': no value given for {{\(placeholder)}}"
        case let .wrongValueKind(placeholder, template):
            "prompt '\(template)': {{\(placeholder)}} got a list where one text was expected, or the reverse"
        }
    }
}
