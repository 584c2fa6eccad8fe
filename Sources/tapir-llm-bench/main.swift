import Foundation
import TapirCore
import TapirLLM

// Drives an OpenAI-compatible endpoint with tapir's client: N chat completions at a fixed
// concurrency. Prints one JSON line: requests, seconds, requests/s and client CPU seconds.
// Usage: tapir-llm-bench --base-url URL [--requests 2000] [--concurrency 64] [--model NAME]

var baseURL = ""
var total = 2000
var concurrency = 64
var model = "bench-model"
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--base-url": baseURL = arguments.next() ?? ""
    case "--requests": total = Int(arguments.next() ?? "") ?? total
    case "--concurrency": concurrency = Int(arguments.next() ?? "") ?? concurrency
    case "--model": model = arguments.next() ?? model
    default:
        FileHandle.standardError.write(Data("usage: tapir-llm-bench --base-url URL [--requests N] [--concurrency N] [--model NAME]\n".utf8))
        exit(2)
    }
}
guard !baseURL.isEmpty else {
    FileHandle.standardError.write(Data("tapir-llm-bench: --base-url is required\n".utf8))
    exit(2)
}

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

/// Hands out request numbers to the workers.
actor Counter {
    private var next = 0
    private let limit: Int
    init(limit: Int) { self.limit = limit }
    func take() -> Int? {
        guard next < limit else { return nil }
        next += 1
        return next
    }
}

/// Runs `concurrency` workers until the counter is exhausted; returns the number of failed requests.
func runWorkers(client: OpenAIClient, request: ChatRequest, counter: Counter, concurrency: Int) async -> Int {
    await withTaskGroup(of: Int.self) { group in
        for _ in 0..<concurrency {
            group.addTask {
                var failed = 0
                while await counter.take() != nil {
                    do { _ = try await client.complete(request) } catch { failed += 1 }
                }
                return failed
            }
        }
        var failed = 0
        for await count in group { failed += count }
        return failed
    }
}

let config = RoleConfig(provider: .openai, baseURL: baseURL, model: model, apiKeyEnv: "TAPIR_BENCH_API_KEY",
                        maxConcurrency: concurrency, maxAttempts: 1, timeoutSeconds: 30)
let client: OpenAIClient
do {
    var environment = ProcessInfo.processInfo.environment
    environment["TAPIR_BENCH_API_KEY"] = environment["TAPIR_BENCH_API_KEY"] ?? "sk-bench-not-a-secret"
    client = try OpenAIClient(role: .teacher, config: config, environment: environment)
} catch {
    FileHandle.standardError.write(Data("tapir-llm-bench: \(error)\n".utf8))
    exit(1)
}
let request = ChatRequest(messages: [.system("You are a helpful assistant."), .user("Say hello.")],
                          sampling: SamplingParameters(temperature: 0, maxTokens: 16))

// Warm-up: one request, so DNS and the first connection are not timed (the Python side does the same).
_ = try await client.complete(request)

let counter = Counter(limit: total)
let cpuStart = cpuSeconds()
let wallStart = ContinuousClock.now
let failures = await runWorkers(client: client, request: request, counter: counter, concurrency: concurrency)
let elapsed = wallStart.duration(to: .now)
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
let cpu = cpuSeconds() - cpuStart
print(String(format: #"{"client":"tapir","requests":%d,"failures":%d,"concurrency":%d,"seconds":%.3f,"rps":%.1f,"cpu_seconds":%.3f}"#,
             total, failures, concurrency, seconds, Double(total) / seconds, cpu))
