import Foundation
import Testing
@testable import TapirInference

/// Token ids against llama.cpp (Fixtures/reference/*.json, written by
/// scripts/reference/make_reference.py). Needs the SmolLM2 model (`make setup`) and the
/// vocab-only GGUF files (scripts/reference/fetch-vocabs.sh).
@Suite("Tokenizer vs llama.cpp")
struct TokenizerReferenceTests {
    struct Case {
        let text: String
        let ids: [Int32]
    }

    static func cases(_ list: Any?, idsKey: String = "ids") throws -> [Case] {
        let rows = try #require(list as? [[String: Any]])
        return try rows.map { row in
            Case(text: try #require(row["text"] as? String), ids: try #require(row[idsKey] as? [Int]).map { Int32($0) })
        }
    }

    /// Compares and reports the first mismatches with both id lists.
    static func check(_ tokenizer: Tokenizer, _ cases: [Case], addSpecial: Bool, parseSpecial: Bool, label: String) -> Int {
        var failures = 0
        for c in cases {
            let got = tokenizer.encode(c.text, addSpecial: addSpecial, parseSpecial: parseSpecial)
            if got != c.ids {
                failures += 1
                if failures <= 5 {
                    Issue.record("\(label): \(c.text.debugDescription.prefix(120))\n expected \(c.ids)\n      got \(got)")
                }
            }
        }
        return failures
    }

    static var reference: [String: Any]? {
        try? TokenizerTestFiles.json("smollm2-reference.json") as? [String: Any]
    }

    @Test(.enabled(if: TokenizerTestFiles.smolLM2 != nil, "needs the SmolLM2 model: run scripts/fetch-model.sh"))
    func smolLM2MatchesLlamaCpp() throws {
        let tokenizer = try TokenizerTestFiles.tokenizer(path: TokenizerTestFiles.smolLM2!)
        let root = try #require(Self.reference)
        #expect(tokenizer.preTokenizerName == "smollm")
        #expect(tokenizer.vocabularySize == 49152)

        let plain = try Self.cases(root["tokenizer"])
        #expect(plain.count >= 60)
        #expect(Self.check(tokenizer, plain, addSpecial: false, parseSpecial: false, label: "plain") == 0)
        // Byte-level BPE is lossless.
        for c in plain { #expect(tokenizer.decode(c.ids) == c.text) }

        let special = try Self.cases(root["tokenizer_special"])
        #expect(Self.check(tokenizer, special, addSpecial: true, parseSpecial: true, label: "special") == 0)

        let forced = try #require(root["teacher_forced"] as? [[String: Any]])
        let forcedCases = try forced.map { Case(text: try #require($0["text"] as? String), ids: try #require($0["tokens"] as? [Int]).map { Int32($0) }) }
        #expect(forcedCases.reduce(0) { $0 + $1.ids.count } >= 2100)
        #expect(Self.check(tokenizer, forcedCases, addSpecial: true, parseSpecial: true, label: "teacher-forced") == 0)

        let eos = try #require(root["eos_ids"] as? [Int]).map { Int32($0) }
        #expect(tokenizer.eosIDs == Set(eos))
    }

    @Test(.enabled(if: TokenizerTestFiles.smolLM2 != nil, "needs the SmolLM2 model: run scripts/fetch-model.sh"))
    func smolLM2ChatPromptsMatchLlamaCpp() throws {
        let path = TokenizerTestFiles.smolLM2!
        let tokenizer = try TokenizerTestFiles.tokenizer(path: path)
        let template = ChatTemplate(metadata: try GGUFFile(path: path).metadata)
        let root = try #require(Self.reference)
        let greedy = try #require(root["greedy"] as? [[String: Any]])
        #expect(greedy.count >= 12)
        for g in greedy {
            let prompt = try #require(g["prompt"] as? String)
            let rendered = try #require(g["rendered"] as? String)
            let expected = try #require(g["prompt_tokens"] as? [Int]).map { Int32($0) }
            #expect(template.render([.user(prompt)], addGenerationPrompt: true) == rendered)
            #expect(tokenizer.encode(rendered, addSpecial: true) == expected, "\(prompt)")
        }
    }

    /// llama.cpp's vocab-only GGUF files: SentencePiece (llama, phi-3) and BPE with the
    /// llama-bpe, qwen2, gpt-2, starcoder, refact, falcon, mpt and command-r pre-tokenizers.
    @Test(.enabled(if: TokenizerTestFiles.hasVocabs, "needs scripts/reference/fetch-vocabs.sh"))
    func vocabFilesMatchLlamaCpp() throws {
        let root = try #require(try TokenizerTestFiles.json("vocab-reference.json") as? [String: Any])
        let vocabs = try #require(root["vocabs"] as? [[String: Any]])
        #expect(vocabs.count >= 8)
        var total = 0
        for vocab in vocabs {
            let name = try #require(vocab["name"] as? String)
            let file = try #require(vocab["file"] as? String)
            let path = try #require(TokenizerTestFiles.vocab(file), "missing \(file)")
            let tokenizer = try TokenizerTestFiles.tokenizer(path: path)
            let plain = try Self.cases(vocab["cases"])
            let special = try Self.cases(vocab["cases"], idsKey: "ids_special")
            let failures = Self.check(tokenizer, plain, addSpecial: false, parseSpecial: false, label: name)
                + Self.check(tokenizer, special, addSpecial: true, parseSpecial: true, label: "\(name) (special)")
            #expect(failures == 0, "\(name): \(failures) of \(plain.count + special.count) cases differ")
            total += plain.count + special.count
        }
        #expect(total > 1000)
    }
}
