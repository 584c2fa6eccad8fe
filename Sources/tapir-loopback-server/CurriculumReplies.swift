import Foundation

/// Scripted replies for every role of a curriculum run (`--curriculum`): the teacher,
/// student, judge, classifier and refiner of a demo workspace, recognised from the prompt.
/// Deterministic for a given request order; expansions are new random-word instructions
/// that pass the deduplication thresholds.
final class CurriculumReplies: @unchecked Sendable {
    private let lock = NSLock()
    private var expansions = 0

    /// Words the expansion instructions are drawn from.
    private static let words = """
        amber anchor apricot archive atlas aurora badger ballad banner basalt beacon birch bistro \
        blossom bramble bridge cactus canyon caravan cedar chapel cinder citadel clover comet compass \
        copper coral cottage crater crystal dahlia delta dune ember falcon fern fjord forge fountain \
        galaxy garnet geyser glacier granite harbor hazel heron horizon island ivory jasmine juniper \
        kestrel lagoon lantern lavender ledger lily lotus maple marble meadow mesa meteor mirror \
        monsoon mosaic nectar nebula oasis orchard osprey otter paddle papyrus pebble pepper pioneer \
        prairie quarry quartz quill raven reef ribbon river saddle saffron sequoia sierra spruce \
        summit tundra thistle timber topaz tulip valley velvet violet walnut willow zephyr
        """.split(separator: " ").map(String.init)

    /// The reply to one chat request for `model`.
    func reply(model: String, messages: [(role: String, content: String)]) -> String {
        let system = messages.first { $0.role == "system" }?.content ?? ""
        let user = messages.last { $0.role == "user" }?.content ?? ""
        if system.contains("evaluator") { return judge(user) }
        if system.contains("task categories") { return "<answer>Reasoning</answer>" }
        if system.contains("write new, high-quality instructions") { return expansion() }
        if system.contains("You improve answers") { return "Step by step, with the reasoning written out.\nFinal answer: done." }
        if model.contains("student") { return "A short draft answer (student draft)." }
        return "A complete, careful answer that covers every part of the task with an example."
    }

    /// Scores "8 3" style: the student's answer (marked "student draft") scores low on two
    /// of three questions (hard), as high as the teacher's on the third (easy).
    private func judge(_ prompt: String) -> String {
        let question = Self.block("QUESTION", in: prompt) ?? prompt
        let first = Self.block("ANSWER_1", in: prompt) ?? ""
        let easy = question.unicodeScalars.reduce(0) { ($0 &* 31 &+ Int($1.value)) & 0xFFFF } % 3 == 0
        let student = easy ? 8 : 3
        let (a, b) = first.contains("student draft") ? (student, 8) : (8, student)
        return "\(a) \(b)\nAssistant \(a >= b ? 1 : 2) gives the more complete answer."
    }

    private func expansion() -> String {
        lock.lock()
        let n = expansions
        expansions += 1
        lock.unlock()
        var state = UInt64(n) &* 0x9E37_79B9_7F4A_7C15 &+ 0x1234_5678
        var picked: [String] = []
        while picked.count < 10 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let word = Self.words[Int((state >> 33) % UInt64(Self.words.count))]
            if !picked.contains(word) { picked.append(word) }
        }
        return "<instruction>Write a short story that links \(picked.joined(separator: ", ")) in that order (expansion \(n + 1)).</instruction>"
    }

    /// The text of the `<<<LABEL` … `>>>` block in a prompt.
    static func block(_ label: String, in text: String) -> String? {
        guard let start = text.range(of: "<<<\(label)\n"),
              let end = text.range(of: "\n>>>", range: start.upperBound..<text.endIndex) else { return nil }
        return String(text[start.upperBound..<end.lowerBound])
    }
}
