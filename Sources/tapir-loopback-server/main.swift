import Foundation
import TapirTestSupport

// An OpenAI-compatible loopback server that answers at once, for the client benchmark.
// Usage: tapir-loopback-server [--port N]   (prints "listening <base-url>" when ready)

var port = 0
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--port": port = Int(arguments.next() ?? "") ?? 0
    default:
        FileHandle.standardError.write(Data("usage: tapir-loopback-server [--port N]\n".utf8))
        exit(2)
    }
}

let completion = ScriptedResponse.completion("Hello! How can I help you today?", model: "bench-model",
                                             promptTokens: 12, completionTokens: 9)
let models = ScriptedResponse.json(#"{"object":"list","data":[{"id":"bench-model","object":"model"}]}"#)
let notFound = ScriptedResponse.json(#"{"error":{"message":"no such route"}}"#, status: 404)

do {
    let server = try LoopbackHTTPServer(port: port, recordRequests: false) { request in
        switch (request.method, request.path) {
        case ("POST", "/v1/chat/completions"): return completion
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
