import Foundation
import TapirTestSupport

// An OpenAI-compatible loopback server.
// Usage: tapir-loopback-server [--port N] [--curriculum] [--delay SECONDS]
//   default        answers every completion at once with the same reply (client benchmark)
//   --curriculum   plays every role of a curriculum run (teacher, student, judge, classifier,
//                  expansion writer, refiner), recognised from the prompt (terminal smoke test)
//   --delay        waits this long before each completion
// Prints "listening <base-url>" when ready.

var port = 0
var curriculum = false
var delay = 0.0
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--port": port = Int(arguments.next() ?? "") ?? 0
    case "--curriculum": curriculum = true
    case "--delay": delay = Double(arguments.next() ?? "") ?? 0
    default:
        FileHandle.standardError.write(Data("usage: tapir-loopback-server [--port N] [--curriculum] [--delay SECONDS]\n".utf8))
        exit(2)
    }
}

let scripted = curriculum
let replyDelay = delay
let completion = ScriptedResponse.completion("Hello! How can I help you today?", model: "bench-model",
                                             promptTokens: 12, completionTokens: 9, delay: replyDelay)
let models = ScriptedResponse.json(#"{"object":"list","data":[{"id":"bench-model","object":"model"}]}"#)
let notFound = ScriptedResponse.json(#"{"error":{"message":"no such route"}}"#, status: 404)
let script = CurriculumReplies()

func curriculumCompletion(_ body: Data) -> ScriptedResponse {
    guard let json = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
          let raw = json["messages"] as? [[String: Any]] else {
        return .json(#"{"error":{"message":"body is not a chat completion request"}}"#, status: 400)
    }
    let messages = raw.map { (role: $0["role"] as? String ?? "", content: $0["content"] as? String ?? "") }
    let model = json["model"] as? String ?? "model"
    let text = script.reply(model: model, messages: messages)
    let prompt = messages.reduce(0) { $0 + $1.content.count }
    return .completion(text, model: model, promptTokens: max(1, prompt / 4), completionTokens: max(1, text.count / 4), delay: replyDelay)
}

do {
    let server = try LoopbackHTTPServer(port: port, recordRequests: false) { request in
        switch (request.method, request.path) {
        case ("POST", "/v1/chat/completions"): return scripted ? curriculumCompletion(request.body) : completion
        case ("GET", "/v1/models"): return models
        default: return notFound
        }
    }
    FileHandle.standardOutput.write(Data("listening \(server.baseURL)\n".utf8))
    while true { sleep(3600) }
} catch {
    FileHandle.standardError.write(Data("tapir-loopback-server: \(error)\n".utf8))
    exit(1)
}
