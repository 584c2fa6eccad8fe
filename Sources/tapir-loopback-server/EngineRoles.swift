import Foundation

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
