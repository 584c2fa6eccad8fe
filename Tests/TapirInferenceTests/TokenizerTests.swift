import Testing
@testable import TapirInference

/// Unit tests on small vocabularies built in the test (the real vocabularies are checked
/// against llama.cpp in TokenizerReferenceTests).
@Suite("Tokenizer (small vocabularies)")
struct TokenizerTests {
    /// A byte-level BPE vocabulary: the 256 byte letters, a few merges, two control tokens
    /// and one user-defined token.
    static func tinyBPE(pre: String = "gpt-2", extra: [String: GGUFValue] = [:]) throws -> Tokenizer {
        var tokens = (0..<256).map { ByteLevelAlphabet.encode([UInt8($0)]) }
        var types = [GGUFValue](repeating: .int32(1), count: 256)
        let merges = ["Ġ t", "h e", "Ġt he", "i n", "Ġ in", "Ġin g", "1 2"]
        for m in merges {
            tokens.append(m.replacing(" ", with: ""))
            types.append(.int32(1))
        }
        tokens += ["<|im_start|>", "<|im_end|>", "<tool>"]
        types += [.int32(3), .int32(3), .int32(4)]
        var metadata: [String: GGUFValue] = [
            "tokenizer.ggml.model": .string("gpt2"),
            "tokenizer.ggml.pre": .string(pre),
            "tokenizer.ggml.tokens": .array(tokens.map { .string($0) }),
            "tokenizer.ggml.token_type": .array(types),
            "tokenizer.ggml.merges": .array(merges.map { .string($0) }),
            "tokenizer.ggml.bos_token_id": .uint32(263),
            "tokenizer.ggml.eos_token_id": .uint32(264),
        ]
        metadata.merge(extra) { $1 }
        return try Tokenizer(metadata: metadata)
    }

    func id(_ t: Tokenizer, _ text: String) -> Int32 { t.tokenID(forText: text)! }

    @Test func bytePairMergesByRank() throws {
        let t = try Self.tinyBPE()
        #expect(t.kind == .bytePairEncoding)
        #expect(t.vocabularySize == 266)
        #expect(t.encode(" the", addSpecial: false) == [id(t, "Ġthe")])
        #expect(t.encode("the", addSpecial: false) == [id(t, "t"), id(t, "he")])
        #expect(t.encode(" thing", addSpecial: false) == [id(t, "Ġt"), id(t, "h"), id(t, "in"), id(t, "g")])
        #expect(t.encode(" inning", addSpecial: false) == [id(t, "Ġin"), id(t, "n"), id(t, "in"), id(t, "g")])
        // Byte fallback: every byte has a token, so any text round-trips.
        let text = "Zürich 😀 \t\n日本"
        #expect(t.decode(t.encode(text, addSpecial: false)) == text)
    }

    @Test func specialTokens() throws {
        let t = try Self.tinyBPE()
        let start = id(t, "<|im_start|>"), end = id(t, "<|im_end|>"), tool = id(t, "<tool>")
        let ids = t.encode("<|im_start|>the<|im_end|><tool>", addSpecial: false)
        #expect(ids == [start, id(t, "t"), id(t, "he"), end, tool])
        // Without special parsing control tokens are plain text; user-defined ones still match.
        let plain = t.encode("<|im_start|><tool>", addSpecial: false, parseSpecial: false)
        #expect(!plain.contains(start) && plain.last == tool)
        // Control tokens are left out of decoded text unless asked for.
        #expect(t.decode(ids) == "the<tool>")
        #expect(t.decode(ids, renderSpecial: true) == "<|im_start|>the<|im_end|><tool>")
        #expect(t.eosIDs == [end])
        #expect(t.eos == end && t.bos == start)
    }

    @Test func bosEosFlags() throws {
        let plain = try Self.tinyBPE()
        #expect(plain.addBOS == false)
        #expect(plain.encode("the", addSpecial: true).count == 2)
        let flagged = try Self.tinyBPE(extra: ["tokenizer.ggml.add_bos_token": .bool(true), "tokenizer.ggml.add_eos_token": .bool(true)])
        let ids = flagged.encode("the", addSpecial: true)
        #expect(ids.first == flagged.bos && ids.last == flagged.eos && ids.count == 4)
        #expect(flagged.encode("the", addSpecial: false).count == 2)
        // llama-bpe vocabularies add BOS by default.
        #expect(try Self.tinyBPE(pre: "llama-bpe").addBOS)
    }

    @Test func preTokenizerSplits() throws {
        func words(_ pre: String, _ text: String) -> [String] {
            let p = PreTokenizer(name: pre)!
            let cps = Array(text.unicodeScalars.map(\.value))
            let lengths = cps.withUnsafeBufferPointer { p.split($0) }
            var out: [String] = []
            var i = 0
            for n in lengths {
                out.append(String(String.UnicodeScalarView(cps[i..<(i + n)].map { Unicode.Scalar($0)! })))
                i += n
            }
            return out
        }
        #expect(words("gpt-2", "Hello  world's 123!!") == ["Hello", " ", " world", "'s", " 123", "!!"])
        #expect(words("smollm", "x 2024") == ["x", " ", "2", "0", "2", "4"])
        #expect(words("llama-bpe", "I'M 12345\n\n  ok") == ["I", "'M", " ", "123", "45", "\n\n", " ", " ok"])
        #expect(words("qwen2", "ab 123") == ["ab", " ", "1", "2", "3"])
        #expect(words("gpt-2", "a   ") == ["a", "   "])
    }

    @Test func sentencePieceScoresAndByteFallback() throws {
        // <unk> <s> </s>, byte tokens, then pieces with scores.
        var tokens = ["<unk>", "<s>", "</s>"]
        var types: [GGUFValue] = [.int32(2), .int32(3), .int32(3)]
        var scores: [GGUFValue] = [.float32(0), .float32(0), .float32(0)]
        for b in 0..<256 {
            tokens.append("<0x" + String(b, radix: 16, uppercase: true).leftPadded(2) + ">")
            types.append(.int32(6))
            scores.append(.float32(0))
        }
        let pieces: [(String, Float)] = [
            ("▁", -1), ("h", -2), ("e", -2), ("l", -2), ("o", -2), ("w", -3), ("r", -3), ("d", -3),
            ("ll", -1.5), ("he", -1.2), ("hell", -1.1), ("hello", -1.0), ("▁hello", -0.5), ("▁w", -2.5), ("or", -2.6),
        ]
        for (text, score) in pieces {
            tokens.append(text)
            types.append(.int32(1))
            scores.append(.float32(score))
        }
        let t = try Tokenizer(metadata: [
            "tokenizer.ggml.model": .string("llama"),
            "tokenizer.ggml.tokens": .array(tokens.map { .string($0) }),
            "tokenizer.ggml.token_type": .array(types),
            "tokenizer.ggml.scores": .array(scores),
        ])
        #expect(t.kind == .sentencePiece && t.addBOS && t.addSpacePrefix && t.bos == 1 && t.eos == 2)
        let hello = id(t, "▁hello")
        // Dummy prefix: "hello" is encoded as "▁hello".
        #expect(t.encode("hello", addSpecial: false) == [hello])
        #expect(t.encode("hello", addSpecial: true) == [1, hello])
        // "▁world": ▁w + or + l + d; the pair scores decide the order of merges.
        #expect(t.encode("hello world", addSpecial: false) == [hello, id(t, "▁w"), id(t, "or"), id(t, "l"), id(t, "d")])
        // Characters with no piece fall back to UTF-8 bytes.
        let ids = t.encode("hé", addSpecial: false)
        let byteC3: Int32 = 3 + 0xC3, byteA9: Int32 = 3 + 0xA9
        #expect(ids == [id(t, "▁"), id(t, "h"), byteC3, byteA9])
        #expect(t.decode(ids) == "hé")
        #expect(t.decode([1, hello, id(t, "▁w")]) == "hello w")
        // Special tokens in text start a new dummy prefix.
        #expect(t.encode("hello</s>hello", addSpecial: false) == [hello, 2, hello])
    }

    @Test func metadataErrors() {
        #expect(throws: TokenizerError.missingKey("tokenizer.ggml.model")) { try Tokenizer(metadata: [:]) }
        #expect(throws: TokenizerError.unsupportedModel("bert")) {
            try Tokenizer(metadata: ["tokenizer.ggml.model": .string("bert"), "tokenizer.ggml.tokens": .array([.string("a")])])
        }
        #expect(throws: TokenizerError.unsupportedPreTokenizer("no-such-pre")) { try Self.tinyBPE(pre: "no-such-pre") }
        #expect(throws: TokenizerError.invalidValue(key: "tokenizer.ggml.token_type", reason: "expected 1 integers")) {
            try Tokenizer(metadata: [
                "tokenizer.ggml.model": .string("llama"), "tokenizer.ggml.tokens": .array([.string("a")]),
                "tokenizer.ggml.token_type": .array([]),
            ])
        }
        #expect(throws: TokenizerError.missingKey("tokenizer.ggml.merges")) {
            try Tokenizer(metadata: ["tokenizer.ggml.model": .string("gpt2"), "tokenizer.ggml.tokens": .array([.string("a")])])
        }
    }

    @Test func streamingDecoderHoldsPartialCharacters() throws {
        let t = try Self.tinyBPE()
        let ids = t.encode("a😀b", addSpecial: false)  // the emoji is 4 byte tokens
        #expect(ids.count == 6)
        var decoder = TextStreamDecoder()
        var pieces: [String] = []
        for id in ids { pieces.append(decoder.append(t.tokenBytes(id))) }
        #expect(pieces == ["a", "", "", "", "😀", "b"])
        #expect(decoder.finish() == "")
    }
}

extension String {
    func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
