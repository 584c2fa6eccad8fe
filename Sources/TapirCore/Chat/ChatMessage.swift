/// The speaker of one chat message.
public enum ChatRole: String, Codable, Sendable, Hashable, CaseIterable {
    case system, user, assistant
}

/// One message of a chat conversation sent to a `ChatModel`.
public struct ChatMessage: Codable, Sendable, Hashable {
    public var role: ChatRole
    public var content: String

    public init(role: ChatRole, content: String) {
        self.role = role
        self.content = content
    }

    public static func system(_ text: String) -> ChatMessage { ChatMessage(role: .system, content: text) }
    public static func user(_ text: String) -> ChatMessage { ChatMessage(role: .user, content: text) }
    public static func assistant(_ text: String) -> ChatMessage { ChatMessage(role: .assistant, content: text) }
}
