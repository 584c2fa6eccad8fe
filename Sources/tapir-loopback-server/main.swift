import Foundation
import TapirTestSupport

// An OpenAI-compatible loopback server.
// Usage: tapir-loopback-server [--port N] [--roles [--slow]]
//   default: answers every chat request at once with one fixed reply (client benchmark);
//   --roles: plays teacher, judge and classifier deterministically (`ScriptedRoles`: replies
//            derived from the request's content), for running the engine against it by hand;
//   --slow:  with --roles, requests mentioning "[slow]" are answered after 5 seconds.
// Prints "listening <base-url>" when ready.

var port = 0
var scripted = false
var slow = false
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--port": port = Int(arguments.next() ?? "") ?? 0
    case "--roles": scripted = true
    case "--slow": slow = true
    default:
        FileHandle.standardError.write(Data("usage: tapir-loopback-server [--port N] [--roles [--slow]]\n".utf8))
        exit(2)
    }
}

let completion = ScriptedResponse.completion("Hello! How can I help you today?", model: "bench-model",
                                             promptTokens: 12, completionTokens: 9)
let models = ScriptedResponse.json(#"{"object":"list","data":[{"id":"bench-model","object":"model"}]}"#)
let notFound = ScriptedResponse.json(#"{"error":{"message":"no such route"}}"#, status: 404)

do {
    let server: LoopbackHTTPServer
    if scripted {
        server = try ScriptedRoles(slowReplies: slow).server(port: port, recordRequests: false)
    } else {
        server = try LoopbackHTTPServer(port: port, recordRequests: false) { request in
            switch (request.method, request.path) {
            case ("POST", "/v1/chat/completions"): return completion
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
