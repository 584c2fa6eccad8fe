extension Tokenizer {
    /// Tokens that end a turn in common chat templates; they join `eosIDs` when present.
    static let endOfGenerationTexts: Set<String> = [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|eom_id|>",
        "<EOT>", "_<EOT>", "<|end_of_text|>", "<end_of_utterance>",
    ]

    /// Builds the tokenizer from GGUF metadata (`tokenizer.ggml.*`).
    ///
    /// - Throws: `TokenizerError` naming the key that is missing or malformed, or the
    ///   unsupported tokenizer family / pre-tokenizer.
    public init(metadata: [String: GGUFValue]) throws {
        let modelName = try Self.string(metadata, "tokenizer.ggml.model")
        guard let kind = Kind(rawValue: modelName) else { throw TokenizerError.unsupportedModel(modelName) }
        self.kind = kind

        let tokens = try Self.strings(metadata, "tokenizer.ggml.tokens")
        guard !tokens.isEmpty else { throw TokenizerError.invalidValue(key: "tokenizer.ggml.tokens", reason: "the vocabulary is empty") }
        self.tokens = tokens
        let count = tokens.count

        if let raw = metadata["tokenizer.ggml.token_type"] {
            guard let values = raw.arrayValue, values.count == count else {
                throw TokenizerError.invalidValue(key: "tokenizer.ggml.token_type", reason: "expected \(count) integers")
            }
            types = try values.map { value in
                guard let v = value.intValue else {
                    throw TokenizerError.invalidValue(key: "tokenizer.ggml.token_type", reason: "non-integer element")
                }
                return TokenType(rawValue: Int32(truncatingIfNeeded: v)) ?? .normal
            }
        } else {
            types = [TokenType](repeating: .normal, count: count)
        }
        if let raw = metadata["tokenizer.ggml.scores"] {
            guard let values = raw.arrayValue, values.count == count else {
                throw TokenizerError.invalidValue(key: "tokenizer.ggml.scores", reason: "expected \(count) numbers")
            }
            scores = try values.map { value in
                guard let v = value.doubleValue else {
                    throw TokenizerError.invalidValue(key: "tokenizer.ggml.scores", reason: "non-numeric element")
                }
                return Float(v)
            }
        } else {
            scores = [Float](repeating: 0, count: count)
        }

        // Vocabulary lookups and the bytes each token decodes to.
        var pieces: [[UInt8]] = []
        pieces.reserveCapacity(count)
        var idForBytes: [[UInt8]: Int32] = [:]
        idForBytes.reserveCapacity(count)
        var byteTokens = [Int32](repeating: -1, count: 256)
        switch kind {
        case .bytePairEncoding:
            for (i, text) in tokens.enumerated() {
                let type = types[i]
                let bytes = type == .control || type == .unknown ? Array(text.utf8) : ByteLevelAlphabet.decode(text)
                pieces.append(bytes)
                // Normal tokens win a clash with added tokens that decode to the same bytes.
                if let existing = idForBytes[bytes], types[Int(existing)] == .normal, type != .normal { continue }
                idForBytes[bytes] = Int32(i)
            }
            for b in 0..<256 {
                if let id = idForBytes[[UInt8(b)]] { byteTokens[b] = id }
            }
        case .sentencePiece:
            for (i, text) in tokens.enumerated() {
                let raw = Array(text.utf8)
                if idForBytes[raw] == nil { idForBytes[raw] = Int32(i) }
                if types[i] == .byte, let b = Self.parseByteToken(text) {
                    pieces.append([b])
                    byteTokens[Int(b)] = Int32(i)
                } else {
                    pieces.append(Array(String(String.UnicodeScalarView(text.unicodeScalars.map { $0 == "\u{2581}" ? " " : $0 })).utf8))
                }
            }
        }
        self.pieces = pieces
        self.idForBytes = idForBytes
        self.byteTokens = byteTokens

        // Merges and pre-tokenizer (BPE only).
        let preName = metadata["tokenizer.ggml.pre"]?.stringValue ?? "default"
        var addBOS = kind == .sentencePiece
        var ignoreMerges = false
        var merges: [UInt64: MergeRule] = [:]
        if kind == .bytePairEncoding {
            guard let pre = PreTokenizer(name: preName) else { throw TokenizerError.unsupportedPreTokenizer(preName) }
            preTokenizer = pre
            if case .llama3(maxDigits: 3) = pre.stages.first, ["llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2", "glm4", "glm5"].contains(preName) {
                ignoreMerges = true
                addBOS = preName != "glm4" && preName != "glm5"
            }
            let mergeTexts = try Self.strings(metadata, "tokenizer.ggml.merges")
            merges.reserveCapacity(mergeTexts.count)
            for (rank, line) in mergeTexts.enumerated() {
                // "left right", split at the first space after the first character.
                let scalars = Array(line.utf8)
                guard scalars.count > 2, let space = scalars[1...].firstIndex(of: 0x20) else { continue }
                let left = String(decoding: scalars[..<space], as: UTF8.self)
                let right = String(decoding: scalars[(space + 1)...], as: UTF8.self)
                let leftBytes = ByteLevelAlphabet.decode(left), rightBytes = ByteLevelAlphabet.decode(right)
                guard let l = idForBytes[leftBytes], let r = idForBytes[rightBytes],
                      let m = idForBytes[leftBytes + rightBytes] else { continue }
                let key = UInt64(UInt32(bitPattern: l)) << 32 | UInt64(UInt32(bitPattern: r))
                if merges[key] == nil { merges[key] = MergeRule(rank: Int32(rank), merged: m) }
            }
        } else {
            preTokenizer = nil
        }
        self.preTokenizerName = preName
        self.merges = merges
        self.ignoreMerges = ignoreMerges

        // Special token ids and flags.
        func id(_ key: String, default fallback: Int32?) throws -> Int32? {
            guard let value = metadata[key] else { return fallback }
            guard let v = value.intValue else { throw TokenizerError.invalidValue(key: key, reason: "expected an integer token id") }
            // Some converters write -1 (or UInt32.max) for "none".
            guard v >= 0, v < count else { return nil }
            return Int32(v)
        }
        let spm = kind == .sentencePiece
        bos = try id("tokenizer.ggml.bos_token_id", default: spm ? 1 : nil)
        eos = try id("tokenizer.ggml.eos_token_id", default: spm ? 2 : nil)
        unknown = try id("tokenizer.ggml.unknown_token_id", default: spm ? 0 : nil)
        padding = try id("tokenizer.ggml.padding_token_id", default: nil)
        eom = try id("tokenizer.ggml.eom_token_id", default: tokens.firstIndex(of: "<|eom_id|>").map(Int32.init))
        var eot = try id("tokenizer.ggml.eot_token_id", default: nil)
        if eot == nil {
            for text in ["<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<EOT>", "_<EOT>", "<|end_of_text|>"] {
                if let i = tokens.firstIndex(of: text) { eot = Int32(i); break }
            }
        }
        self.eot = eot
        var eosIDs = Set<Int32>()
        for (i, text) in tokens.enumerated() where Self.endOfGenerationTexts.contains(text) { eosIDs.insert(Int32(i)) }
        for special in [eos, eot, eom].compactMap({ $0 }) { eosIDs.insert(special) }
        self.eosIDs = eosIDs

        if let flag = metadata["tokenizer.ggml.add_bos_token"] {
            guard let b = flag.boolValue else { throw TokenizerError.invalidValue(key: "tokenizer.ggml.add_bos_token", reason: "expected a bool") }
            addBOS = b
        }
        var addEOS = false
        if let flag = metadata["tokenizer.ggml.add_eos_token"] {
            guard let b = flag.boolValue else { throw TokenizerError.invalidValue(key: "tokenizer.ggml.add_eos_token", reason: "expected a bool") }
            addEOS = b
        }
        var addSpacePrefix = spm
        if let flag = metadata["tokenizer.ggml.add_space_prefix"] {
            guard let b = flag.boolValue else { throw TokenizerError.invalidValue(key: "tokenizer.ggml.add_space_prefix", reason: "expected a bool") }
            addSpacePrefix = b
        }
        self.addBOS = addBOS && bos != nil
        self.addEOS = addEOS && eos != nil
        self.addSpacePrefix = spm && addSpacePrefix

        // Matched in raw text: control, user-defined and unknown tokens, longest first.
        var specials: [SpecialToken] = []
        for (i, type) in types.enumerated() where type == .control || type == .userDefined || type == .unknown {
            let bytes = Array(tokens[i].utf8)
            if !bytes.isEmpty { specials.append(SpecialToken(bytes: bytes, id: Int32(i), type: type)) }
        }
        specials.sort { $0.bytes.count != $1.bytes.count ? $0.bytes.count > $1.bytes.count : $0.id < $1.id }
        specialTokens = specials
    }

    private static func string(_ metadata: [String: GGUFValue], _ key: String) throws -> String {
        guard let value = metadata[key] else { throw TokenizerError.missingKey(key) }
        guard let s = value.stringValue else { throw TokenizerError.invalidValue(key: key, reason: "expected a string") }
        return s
    }

    private static func strings(_ metadata: [String: GGUFValue], _ key: String) throws -> [String] {
        guard let value = metadata[key] else { throw TokenizerError.missingKey(key) }
        guard let array = value.arrayValue else { throw TokenizerError.invalidValue(key: key, reason: "expected an array of strings") }
        return try array.map { element in
            guard let s = element.stringValue else { throw TokenizerError.invalidValue(key: key, reason: "expected an array of strings") }
            return s
        }
    }

    /// `<0x41>` → 0x41.
    static func parseByteToken(_ text: String) -> UInt8? {
        let u = Array(text.utf8)
        guard u.count == 6, u[0] == 0x3C, u[1] == 0x30, u[2] == 0x78, u[5] == 0x3E else { return nil }
        return UInt8(String(decoding: u[3..<5], as: UTF8.self), radix: 16)
    }
}
