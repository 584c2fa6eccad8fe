import Foundation
import Synchronization

/// Picks the next token from a row of logits (greedy, or a seeded sampler).
public protocol TokenChooser: Sendable {
    /// The next token; `logits` may be modified in place.
    mutating func choose(logits: UnsafeMutableBufferPointer<Float>, history: [Int32]) -> Int32
}

/// The arg-max token (first on ties).
public struct GreedyChooser: TokenChooser {
    public init() {}
    public func choose(logits: UnsafeMutableBufferPointer<Float>, history: [Int32]) -> Int32 {
        var best = 0
        for i in 1..<logits.count where logits[i] > logits[best] { best = i }
        return Int32(best)
    }
}

/// How a generation ended, with its timings.
public struct GenerationSummary: Sendable, Hashable {
    public enum Reason: Sendable, Hashable {
        /// An end-of-sequence token.
        case endOfSequence
        /// The token callback asked to stop (a stop string).
        case stopped
        /// `maxTokens` reached.
        case length
        /// Cancelled by the caller.
        case cancelled
    }
    public var reason: Reason
    public var promptTokens: Int
    /// Generated tokens (the end-of-sequence token not included).
    public var generatedTokens: [Int32]
    /// Seconds from admission to the first generated token (prompt processing).
    public var prefillSeconds: Double
    /// Seconds from the first generated token to the end.
    public var decodeSeconds: Double
}

/// One generation request for a `BatchScheduler`, on token ids.
public final class GenerationJob: @unchecked Sendable {
    public let prompt: [Int32]
    public let maxTokens: Int
    public let stopTokens: Set<Int32>
    var chooser: any TokenChooser
    /// Called on the scheduler thread for every generated token (not for a stop token);
    /// returning false ends the generation with reason `.stopped`.
    let onToken: (Int32) -> Bool
    /// Called once, on the scheduler thread, when the job ends.
    let onFinish: (Result<GenerationSummary, any Error>) -> Void
    private let cancelled = Atomic<Bool>(false)

    public init(
        prompt: [Int32], maxTokens: Int, stopTokens: Set<Int32>, chooser: any TokenChooser,
        onToken: @escaping (Int32) -> Bool, onFinish: @escaping (Result<GenerationSummary, any Error>) -> Void
    ) {
        self.prompt = prompt
        self.maxTokens = maxTokens
        self.stopTokens = stopTokens
        self.chooser = chooser
        self.onToken = onToken
        self.onFinish = onFinish
    }

    /// Asks the scheduler to stop this job at the next step.
    public func cancel() { cancelled.store(true, ordering: .relaxed) }
    public var isCancelled: Bool { cancelled.load(ordering: .relaxed) }
}
