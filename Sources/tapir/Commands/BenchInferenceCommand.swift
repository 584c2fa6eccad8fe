import ArgumentParser
import Foundation
import TapirInference

/// `tapir bench-inference` (hidden): native inference speed on token ids, llama-bench style.
struct BenchInferenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-inference", abstract: "Measure native inference speed.", shouldDisplay: false)

    @Option(help: "Path of the GGUF model file.") var model: String
    @Option(help: "Threads.") var threads = 2
    @Option(help: "Prompt tokens (pp).") var pp = 128
    @Option(help: "Generated tokens (tg).") var tg = 128
    @Option(help: "Parallel sequences for the batched run (npl).") var npl = 16
    @Option(help: "Prompt tokens per sequence in the batched run (npp).") var npp = 64
    @Option(help: "Generated tokens per sequence in the batched run (ntg).") var ntg = 128

    /// Process CPU seconds (user + system), to tell speed from machine load.
    static func cpuSeconds() -> Double {
        var u = rusage()
        getrusage(RUSAGE_SELF.rawValue, &u)
        return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
    }

    func run() async throws {
        let file = try GGUFFile(path: model)
        let m = try TransformerModel(file: file, threads: threads)
        var rng = SystemRandomNumberGenerator()
        func tokens(_ n: Int) -> [Int32] { (0..<n).map { _ in Int32.random(in: 100..<Int32(m.vocabularySize), using: &rng) } }

        // Warm-up.
        _ = try m.forward([.init(cache: m.makeCache(), tokens: tokens(16))])

        var t = Date()
        var c = Self.cpuSeconds()
        _ = try m.forward([.init(cache: m.makeCache(capacity: pp), tokens: tokens(pp))])
        let ppRate = Double(pp) / Date().timeIntervalSince(t)
        print(String(format: "pp%d: %.1f tok/s (%.1f tok per CPU-second)", pp, ppRate, Double(pp) / (Self.cpuSeconds() - c)))

        let cache = m.makeCache(capacity: tg + 1)
        _ = try m.forward([.init(cache: cache, tokens: [1])])
        t = Date()
        c = Self.cpuSeconds()
        var next: Int32 = 1
        for _ in 0..<tg {
            let logits = try m.forward([.init(cache: cache, tokens: [next])])[0]
            next = Int32(logits.indices.max { logits[$0] < logits[$1] } ?? 0)
        }
        let tgRate = Double(tg) / Date().timeIntervalSince(t)
        print(String(format: "tg%d: %.1f tok/s (%.1f tok per CPU-second)", tg, tgRate, Double(tg) / (Self.cpuSeconds() - c)))

        let caches = (0..<npl).map { _ in m.makeCache(capacity: npp + ntg) }
        let t0 = Date()
        _ = try m.forward(caches.map { .init(cache: $0, tokens: tokens(npp)) })
        let t1 = Date()
        c = Self.cpuSeconds()
        for _ in 0..<ntg {
            _ = try m.forward(caches.map { .init(cache: $0, tokens: [Int32.random(in: 100..<1000, using: &rng)]) })
        }
        let t2 = Date()
        print(String(
            format: "batched npl=%d npp=%d ntg=%d: prompt %.1f tok/s, decode aggregate %.1f tok/s (%.1f tok per CPU-second)",
            npl, npp, ntg, Double(npl * npp) / t1.timeIntervalSince(t0), Double(npl * ntg) / t2.timeIntervalSince(t1),
            Double(npl * ntg) / (Self.cpuSeconds() - c)))
    }
}
