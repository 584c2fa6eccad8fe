import Foundation
import TapirTestSupport

// An OpenAI-compatible loopback server.
// Usage: tapir-loopback-server [--port N] [--roles [--slow] | --curriculum | --engine] [--delay SECONDS]
//   default:      answers every chat request at once with one fixed reply (client benchmark);
//   --roles:      plays teacher, judge and classifier deterministically (`ScriptedRoles`: replies
//                 derived from the request's content), for running the engine against it by hand;
//   --slow:       with --roles, requests mentioning "[slow]" are answered after 5 seconds;
//   --curriculum: plays every role of a curriculum run (teacher, student, judge, classifier,
//                 expansion writer, refiner), recognised from the prompt (terminal smoke test);
//   --engine:     plays every role of the engine benchmark, chosen by the request's model name
//                 (bench-student, bench-teacher, bench-judge, bench-classifier; `EngineRoles`);
//   --delay:      with the default reply or --curriculum, waits this long before each completion.
// Prints "listening <base-url>" when ready.

var port = 0
var roles = false
var slow = false
var curriculum = false
var engine = false
var delay = 0.0
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--port": port = Int(arguments.next() ?? "") ?? 0
    case "--roles": roles = true
    case "--slow": slow = true
    case "--curriculum": curriculum = true
    case "--engine": engine = true
    case "--delay": delay = Double(arguments.next() ?? "") ?? 0
    default:
        FileHandle.standardError.write(Data("usage: tapir-loopback-server [--port N] [--roles [--slow] | --curriculum | --engine] [--delay SECONDS]\n".utf8))
        exit(2)
    }
}

let curriculumMode = curriculum
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

let engineMode = engine
do {
    let server: LoopbackHTTPServer
    if roles {
        server = try ScriptedRoles(slowReplies: slow).server(port: port, recordRequests: false)
    } else {
        server = try LoopbackHTTPServer(port: port, recordRequests: false) { request in
            switch (request.method, request.path) {
            case ("POST", "/v1/chat/completions"):
                if curriculumMode { return curriculumCompletion(request.body) }
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
