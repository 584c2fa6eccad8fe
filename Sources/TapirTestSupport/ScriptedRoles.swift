import Foundation

/// A deterministic teacher, judge and classifier for end-to-end engine tests: every reply is
/// a pure function of the request's content, so a rerun (or a restarted engine) gets
/// identical answers. Which role a request is for is read from the engine's prompt
/// templates (their blocks `<<<LABEL` … `>>>`):
///
/// - **classify** (`Which one of these task categories`): `<answer>` of `category(for:)`.
/// - **judge / evaluate** (`ANSWER_1` and `ANSWER_2` blocks): the answer that starts with
///   `referencePrefix` scores `referenceScore`, the other one `studentScore(for:)` of the
///   question, so the scores follow the texts whatever slot they are in. A question that
///   contains `garbageJudgeMarker` gets an unreadable verdict every time.
/// - **expand** (`EXAMPLE_1` block): a new instruction built from words picked by a hash of
///   the examples and the request's `seed`; when an example contains `copySeedMarker` the
///   reply is that example verbatim (a duplicate of a seed).
/// - **refine** (`TASK` and `ANSWER` blocks): `Refined: ` + the answer.
/// - anything else answers a plain instruction: for the model named `studentModel`,
///   `studentPrefix` + the instruction, for any other model (the teacher) `referencePrefix` +
///   the instruction.
///
/// While `slowReplies` is on, any request whose first user message contains `slowMarker` is
/// answered only after `slowDelay` seconds (longer than the client's timeout, for timeouts).
public final class ScriptedRoles: @unchecked Sendable {
    public static let referencePrefix = "Reference answer: "
    public static let studentPrefix = "Student answer: "
    /// The model name that makes the server answer as the student.
    public static let studentModel = "student"
    public static let referenceScore = 9
    public static let garbageJudgeMarker = "[garbage-judge]"
    public static let copySeedMarker = "[copy-seed]"
    public static let slowMarker = "[slow]"
    /// Categories `category(for:)` can answer; `unknownLabel` maps to Others in the engine.
    public static let unknownLabel = "Astrology"

    private let lock = NSLock()
    private var slow: Bool
    /// Seconds a slow teacher reply waits.
    public let slowDelay: Double

    public init(slowReplies: Bool = false, slowDelay: Double = 5) {
        self.slow = slowReplies
        self.slowDelay = slowDelay
    }

    /// Whether requests mentioning `slowMarker` are answered late.
    public var slowReplies: Bool {
        get { lock.withLock { slow } }
        set { lock.withLock { slow = newValue } }
    }

    /// The student's score for a question: 1…9 from a stable hash of its text.
    public static func studentScore(for question: String) -> Int {
        1 + Int(stableHash(question.trimmingCharacters(in: .whitespacesAndNewlines)) % 9)
    }

    /// The category the scripted classifier answers for an instruction: digits → Math,
    /// "function"/"code" → Code Generation, "poem"/"story" → Writing, else `unknownLabel`.
    public static func category(for instruction: String) -> String {
        let lower = instruction.lowercased()
        if lower.contains(where: \.isNumber) { return "Math" }
        if lower.contains("function") || lower.contains("code") { return "Code Generation" }
        if lower.contains("poem") || lower.contains("story") { return "Writing" }
        return unknownLabel
    }

    /// The reply text for a chat request to `model` (`seed` is the request body's `seed`, if any).
    public func reply(messages: [ReceivedMessage], model: String = "", seed: UInt64?) -> (text: String, delay: Double) {
        let first = messages.first { $0.role == "user" }?.content ?? ""
        let delay = slowReplies && first.contains(Self.slowMarker) ? slowDelay : 0
        if model == Self.studentModel { return (Self.studentPrefix + first, delay) }
        return (replyText(first, seed: seed), delay)
    }

    private func replyText(_ first: String, seed: UInt64?) -> String {
        if first.contains("Which one of these task categories") {
            let instruction = Self.block("INSTRUCTION", in: first) ?? ""
            return "<answer>\(Self.category(for: instruction))</answer>"
        }
        if let one = Self.block("ANSWER_1", in: first), let two = Self.block("ANSWER_2", in: first) {
            let question = Self.block("QUESTION", in: first) ?? ""
            if question.contains(Self.garbageJudgeMarker) { return "I cannot decide between them." }
            let scores = [one, two].map { $0.hasPrefix(Self.referencePrefix) ? Self.referenceScore : Self.studentScore(for: question) }
            return "\(scores[0]) \(scores[1])\nScored by which answer is the reference."
        }
        if let example = Self.block("EXAMPLE_1", in: first) {
            var examples = [example]
            var index = 2
            while let next = Self.block("EXAMPLE_\(index)", in: first) {
                examples.append(next)
                index += 1
            }
            if let copy = examples.first(where: { $0.contains(Self.copySeedMarker) }) {
                return "<instruction>\(copy)</instruction>"
            }
            return "<instruction>\(Self.newInstruction(from: examples.joined(separator: "\n"), seed: seed ?? 0))</instruction>"
        }
        if Self.block("TASK", in: first) != nil, let answer = Self.block("ANSWER", in: first) {
            return "Refined: " + answer
        }
        return Self.referencePrefix + first
    }

    /// An OpenAI-compatible server on loopback answering with `response(to:)`.
    /// - Parameter recordRequests: keep every request and exchange (tests); off for long runs.
    public func server(port: Int = 0, recordRequests: Bool = true) throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer(port: port, recordRequests: recordRequests) { [self] request in response(to: request) }
    }

    /// The scripted answer to one HTTP request: the model list, a chat completion from
    /// `reply`, or a JSON error.
    public func response(to request: RecordedRequest) -> ScriptedResponse {
        switch (request.method, request.path) {
        case ("GET", "/v1/models"):
            return .json(#"{"object":"list","data":[{"id":"teacher","object":"model"},{"id":"judge","object":"model"},{"id":"classifier","object":"model"},{"id":"student","object":"model"}]}"#)
        case ("POST", "/v1/chat/completions"):
            guard let body = try? JSONSerialization.jsonObject(with: request.body) as? [String: Any],
                  let raw = body["messages"] as? [[String: Any]] else {
                return .json(#"{"error":{"message":"body is not a chat completion request"}}"#, status: 400)
            }
            let messages = raw.map { ReceivedMessage(role: $0["role"] as? String ?? "", content: $0["content"] as? String ?? "") }
            let seed = (body["seed"] as? NSNumber).map { $0.uint64Value }
            let (text, delay) = reply(messages: messages, model: body["model"] as? String ?? "", seed: seed)
            let prompt = messages.reduce(0) { $0 + $1.content.count }
            return .completion(text, model: body["model"] as? String ?? "scripted", promptTokens: max(1, prompt / 4),
                               completionTokens: max(1, text.count / 4), delay: delay)
        default:
            return .json(#"{"error":{"message":"no route"}}"#, status: 404)
        }
    }

    /// The text of the `<<<LABEL` … `>>>` block in `text`, or nil.
    public static func block(_ label: String, in text: String) -> String? {
        guard let start = text.range(of: "<<<\(label)\n") else { return nil }
        guard let end = text.range(of: "\n>>>", range: start.upperBound..<text.endIndex) else { return nil }
        return String(text[start.upperBound..<end.lowerBound])
    }

    private static let words = [
        "amber", "basalt", "cobalt", "delta", "ember", "fjord", "glacier", "harbor", "indigo", "juniper",
        "kelp", "lantern", "meadow", "nebula", "obsidian", "prairie", "quartz", "river", "saffron", "tundra",
        "umber", "valley", "willow", "xenon", "yarrow", "zephyr", "canyon", "dune", "estuary", "falcon",
        "granite", "heron", "iris", "jasper", "kestrel", "lagoon", "marble", "nectar", "orchid", "pebble",
    ]

    /// A sentence of words picked by a hash of `material` and `seed`: different content from
    /// any seed, so it passes de-duplication.
    static func newInstruction(from material: String, seed: UInt64) -> String {
        var state = stableHash(material) ^ (seed &* 0x9e37_79b9_7f4a_7c15)
        var picked: [String] = []
        for _ in 0..<6 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            picked.append(words[Int((state >> 33) % UInt64(words.count))])
        }
        return "Compare the \(picked[0]) \(picked[1]) with the \(picked[2]) \(picked[3]) and explain what the \(picked[4]) \(picked[5]) changes."
    }

    /// FNV-1a over the UTF-8 bytes.
    public static func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}
