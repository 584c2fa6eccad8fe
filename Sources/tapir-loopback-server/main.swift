import Foundation
import TapirTestSupport

// An OpenAI-compatible loopback server.
// Usage: tapir-loopback-server [--port N] [--roles [--slow] | --engine]
//   default:  answers every chat request at once with one fixed reply (client benchmark);
//   --roles:  plays teacher, judge and classifier deterministically (`ScriptedRoles`: replies
//             derived from the request's content), for running the engine against it by hand;
//   --slow:   with --roles, requests mentioning "[slow]" are answered after 5 seconds;
//   --engine: plays every role of the curriculum engine benchmark, chosen by the request's
//             model name (bench-student, bench-teacher, bench-judge, bench-classifier),
//             deterministically from the prompt.
// Prints "listening <base-url>" when ready.

var port = 0
var scripted = false
var slow = false
var engine = false
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--port": port = Int(arguments.next() ?? "") ?? 0
    case "--roles": scripted = true
    case "--slow": slow = true
    case "--engine": engine = true
    default:
        FileHandle.standardError.write(Data("usage: tapir-loopback-server [--port N] [--roles [--slow] | --engine]\n".utf8))
        exit(2)
    }
}

let completion = ScriptedResponse.completion("Hello! How can I help you today?", model: "bench-model",
                                             promptTokens: 12, completionTokens: 9)
let models = ScriptedResponse.json(#"{"object":"list","data":[{"id":"bench-model","object":"model"}]}"#)
let notFound = ScriptedResponse.json(#"{"error":{"message":"no such route"}}"#, status: 404)

/// Replies of the engine benchmark's scripted roles.
enum EngineRoles {
    static let categories = ["Math", "Reasoning", "Code Generation", "Code Debug", "Others", "Writing",
                             "Physics", "History", "Biology", "Grammar"]
    static let words = (0..<512).map { index -> String in
        let syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ze", "po", "da", "fu", "gi", "ha", "ju", "be"]
        return syllables[index % 16] + syllables[(index / 16) % 16] + syllables[(index / 256) % 16]
    }
    nonisolated(unsafe) static var expansions = 0
    static let lock = NSLock()

    /// FNV-1a over the prompt: the same request always gets the same reply.
    static func hash(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return h
    }

    static func reply(model: String, prompt: String) -> String {
        let h = hash(prompt)
        switch model {
        case "bench-judge":
            return "\(3 + h % 7) \(2 + (h >> 8) % 8)\nAssistant 1 covers the question; Assistant 2 misses details."
        case "bench-classifier":
            return "<answer>\(categories[Int(h % UInt64(categories.count))])</answer>"
        case "bench-teacher" where prompt.contains("<instruction>"):
            let n = lock.withLock { expansions += 1; return expansions }
            var state = UInt64(n) &* 0x9e37_79b9_7f4a_7c15
            let text = (0..<14).map { _ -> String in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return words[Int(state >> 33) % words.count]
            }.joined(separator: " ")
            return "<instruction>New task \(n): \(text)?</instruction>"
        default:
            return "A direct answer in a few sentences, with the key steps and a short conclusion (\(h % 1000))."
        }
    }
}

let engineMode = engine
do {
    let server: LoopbackHTTPServer
    if scripted {
        server = try ScriptedRoles(slowReplies: slow).server(port: port, recordRequests: false)
    } else {
        server = try LoopbackHTTPServer(port: port, recordRequests: false) { request in
            switch (request.method, request.path) {
            case ("POST", "/v1/chat/completions"):
                guard engineMode else { return completion }
                guard let body = try? JSONSerialization.jsonObject(with: request.body) as? [String: Any],
                      let messages = body["messages"] as? [[String: Any]] else {
                    return .json(#"{"error":{"message":"body is not a chat completion request"}}"#, status: 400)
                }
                let prompt = messages.compactMap { $0["content"] as? String }.joined(separator: "\n")
                let model = body["model"] as? String ?? ""
                let text = EngineRoles.reply(model: model, prompt: prompt)
                return .completion(text, model: model, promptTokens: max(1, prompt.utf8.count / 4),
                                   completionTokens: max(1, text.utf8.count / 4))
            case ("GET", "/v1/models"): return models
            default: return notFound
            }
        }
    }
    FileHandle.standardOutput.write(Data("listening \(server.baseURL)\n".utf8))
    while true { sleep(3600) }
} catch {
    FileHandle.standardError.write(Data("tapir-loopback-server: \(error)\n".utf8))
    exit(1)
}
