/// Splits text (as Unicode code points) into the words that BPE merges within.
///
/// Each GGUF `tokenizer.ggml.pre` name maps to a list of stages applied in order, like the
/// reference tokenizers' list of regular expressions: every stage splits each piece left by
/// the previous one, keeping both its matches and the text between them. The stages are
/// hand-written matchers of those expressions (no regex engine), and a stage never looks
/// beyond the piece it works on.
struct PreTokenizer: Sendable {
    enum Stage: Sendable, Equatable {
        /// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
        case gpt2
        /// `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,maxDigits}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
        case llama3(maxDigits: Int)
        /// `\p{N}`: every number code point on its own.
        case eachNumber
        /// `\p{N}+`
        case numberRuns
        /// `[0-9][0-9][0-9]`
        case asciiDigitTriples
        /// `[\p{P}<extra>]+`
        case punctuationRuns(extra: [UInt32])
    }

    let name: String
    let stages: [Stage]

    /// The pre-tokenizer for a `tokenizer.ggml.pre` value, or nil when it is not supported.
    init?(name: String) {
        let gpt2Punctuation: [UInt32] = Array("$+<=>^~|".unicodeScalars.map(\.value))
        switch name {
        case "default", "":
            stages = [.punctuationRuns(extra: gpt2Punctuation), .gpt2, .numberRuns, .asciiDigitTriples]
        case "gpt-2", "gpt2", "phi-2", "mpt", "olmo", "jais", "jina-es", "jina-de", "jina-v2-es", "jina-v2-de",
             "jina-v1-en", "jina-v2-code", "roberta-bpe", "gigachat", "a.x-4.0", "mellum", "modern-bert",
             "exaone4", "trillion", "granite-docling":
            stages = [.gpt2]
        case "starcoder", "refact", "command-r", "smollm", "codeshell", "exaone", "minerva-7b":
            stages = [.eachNumber, .gpt2]
        case "llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2",
             "dbrx", "smaug-bpe", "chatglm-bpe", "glm4", "glm5":
            stages = [.llama3(maxDigits: 3)]
        case "qwen2", "deepseek-r1-qwen", "stablelm2", "megrez", "hunyuan", "kormo", "f2llmv2", "solar-open":
            stages = [.llama3(maxDigits: 1)]
        case "falcon":
            stages = [.punctuationRuns(extra: gpt2Punctuation + ["`".unicodeScalars.first!.value]), .gpt2, .asciiDigitTriples]
        default:
            return nil
        }
        self.name = name
    }

    /// Names accepted by `init(name:)` (for error messages).
    static let supportedNames = [
        "default", "gpt-2", "starcoder", "smollm", "refact", "command-r", "llama-bpe", "llama3", "qwen2",
        "stablelm2", "dbrx", "smaug-bpe", "falcon", "mpt", "olmo", "phi-2", "exaone", "chatglm-bpe",
    ]

    /// Splits `cps` into pieces, returned as code point counts in order.
    func split(_ cps: UnsafeBufferPointer<UInt32>) -> [Int] {
        var pieces = cps.isEmpty ? [] : [cps.count]
        for stage in stages {
            var out: [Int] = []
            out.reserveCapacity(max(pieces.count * 2, cps.count / 3))
            var start = 0
            for length in pieces {
                let end = start + length
                switch stage {
                case .gpt2: Self.splitGPT2(cps, start, end, &out)
                case .llama3(let maxDigits): Self.splitLlama3(cps, start, end, maxDigits, &out)
                case .eachNumber: Self.splitEachNumber(cps, start, end, &out)
                case .numberRuns: Self.splitRuns(cps, start, end, &out) { CodepointClass.of($0).contains(.number) }
                case .asciiDigitTriples: Self.splitDigitTriples(cps, start, end, &out)
                case .punctuationRuns(let extra):
                    Self.splitRuns(cps, start, end, &out) { CodepointClass.of($0).contains(.punctuation) || extra.contains($0) }
                }
                start = end
            }
            pieces = out
        }
        return pieces
    }

    // MARK: - Stages

    private static func splitGPT2(_ cps: UnsafeBufferPointer<UInt32>, _ start: Int, _ end: Int, _ out: inout [Int]) {
        @inline(__always) func cls(_ i: Int) -> CodepointClass { i < end ? CodepointClass.of(cps[i]) : [] }
        @inline(__always) func cp(_ i: Int) -> UInt32 { i < end ? cps[i] : UInt32.max }
        var tokenStart = start
        var pos = start
        @inline(__always) func emit(_ to: Int) { if to > tokenStart { out.append(to - tokenStart) }; tokenStart = to; pos = to }
        while pos < end {
            let c = cps[pos]
            // 's|'t|'re|'ve|'m|'ll|'d
            if c == 0x27, pos + 1 < end {
                let n = cps[pos + 1]
                if n == 0x73 || n == 0x74 || n == 0x6D || n == 0x64 { emit(pos + 2); continue }
                if pos + 2 < end {
                    let nn = cps[pos + 2]
                    if (n == 0x72 && nn == 0x65) || (n == 0x76 && nn == 0x65) || (n == 0x6C && nn == 0x6C) {
                        emit(pos + 3); continue
                    }
                }
            }
            let lead = c == 0x20 ? cls(pos + 1) : cls(pos)
            // ' ?\p{L}+', ' ?\p{N}+'
            if lead.contains(.letter) || lead.contains(.number) {
                let wanted: CodepointClass = lead.contains(.letter) ? .letter : .number
                var p = pos + (c == 0x20 ? 1 : 0)
                while cls(p).contains(wanted) { p += 1 }
                emit(p); continue
            }
            // ' ?[^\s\p{L}\p{N}]+' (an out-of-piece position has no class and ends the run)
            if lead.isDisjoint(with: [.whitespace, .letter, .number]) && (c == 0x20 ? pos + 1 < end : true) {
                var p = pos + (c == 0x20 ? 1 : 0)
                while p < end && cls(p).isDisjoint(with: [.whitespace, .letter, .number]) { p += 1 }
                emit(p); continue
            }
            var spaces = 0
            while cls(pos + spaces).contains(.whitespace) { spaces += 1 }
            // '\s+(?!\S)'
            if spaces > 1 && cp(pos + spaces) != UInt32.max { emit(pos + spaces - 1); continue }
            // '\s+'
            if spaces > 0 { emit(pos + spaces); continue }
            emit(pos + 1)
        }
    }

    private static func splitLlama3(
        _ cps: UnsafeBufferPointer<UInt32>, _ start: Int, _ end: Int, _ maxDigits: Int, _ out: inout [Int]
    ) {
        @inline(__always) func cls(_ i: Int) -> CodepointClass { i < end ? CodepointClass.of(cps[i]) : [] }
        @inline(__always) func cp(_ i: Int) -> UInt32 { i < end ? cps[i] : UInt32.max }
        @inline(__always) func lower(_ v: UInt32) -> UInt32 { (0x41...0x5A).contains(v) ? v + 32 : v }
        var tokenStart = start
        var pos = start
        @inline(__always) func emit(_ to: Int) { if to > tokenStart { out.append(to - tokenStart) }; tokenStart = to; pos = to }
        while pos < end {
            let c = cps[pos]
            let flags = CodepointClass.of(c)
            // (?i:'s|'t|'re|'ve|'m|'ll|'d)
            if c == 0x27, pos + 1 < end {
                let n = lower(cps[pos + 1])
                if n == 0x73 || n == 0x74 || n == 0x6D || n == 0x64 { emit(pos + 2); continue }
                if pos + 2 < end {
                    let nn = lower(cps[pos + 2])
                    if (n == 0x72 && nn == 0x65) || (n == 0x76 && nn == 0x65) || (n == 0x6C && nn == 0x6C) {
                        emit(pos + 3); continue
                    }
                }
            }
            // [^\r\n\p{L}\p{N}]?\p{L}+
            if !(c == 0x0D || c == 0x0A || flags.contains(.number)) {
                if flags.contains(.letter) || cls(pos + 1).contains(.letter) {
                    var p = pos + 1
                    while cls(p).contains(.letter) { p += 1 }
                    emit(p); continue
                }
            }
            // \p{N}{1,maxDigits}
            if flags.contains(.number) {
                var p = pos
                var chunkStart = pos
                while cls(p).contains(.number) {
                    p += 1
                    if p - chunkStart >= maxDigits { emit(p); chunkStart = p }
                }
                emit(p); continue
            }
            // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
            let lead = c == 0x20 ? cls(pos + 1) : flags
            if lead.isDisjoint(with: [.whitespace, .letter, .number]) {
                var p = pos + (c == 0x20 ? 1 : 0)
                while p < end && cls(p).isDisjoint(with: [.whitespace, .letter, .number]) { p += 1 }
                while cp(p) == 0x0D || cp(p) == 0x0A { p += 1 }
                emit(p); continue
            }
            var spaces = 0
            var lastNewlineEnd = 0
            while cls(pos + spaces).contains(.whitespace) {
                let w = cps[pos + spaces]
                if w == 0x0D || w == 0x0A { lastNewlineEnd = pos + spaces + 1 }
                spaces += 1
            }
            // \s*[\r\n]+
            if lastNewlineEnd > 0 { emit(lastNewlineEnd); continue }
            // \s+(?!\S)
            if spaces > 1 && cp(pos + spaces) != UInt32.max { emit(pos + spaces - 1); continue }
            // \s+
            if spaces > 0 { emit(pos + spaces); continue }
            emit(pos + 1)
        }
    }

    private static func splitEachNumber(_ cps: UnsafeBufferPointer<UInt32>, _ start: Int, _ end: Int, _ out: inout [Int]) {
        var gapStart = start
        for i in start..<end where CodepointClass.of(cps[i]).contains(.number) {
            if i > gapStart { out.append(i - gapStart) }
            out.append(1)
            gapStart = i + 1
        }
        if end > gapStart { out.append(end - gapStart) }
    }

    private static func splitRuns(
        _ cps: UnsafeBufferPointer<UInt32>, _ start: Int, _ end: Int, _ out: inout [Int], _ member: (UInt32) -> Bool
    ) {
        var gapStart = start
        var i = start
        while i < end {
            if member(cps[i]) {
                var j = i + 1
                while j < end && member(cps[j]) { j += 1 }
                if i > gapStart { out.append(i - gapStart) }
                out.append(j - i)
                gapStart = j
                i = j
            } else {
                i += 1
            }
        }
        if end > gapStart { out.append(end - gapStart) }
    }

    private static func splitDigitTriples(_ cps: UnsafeBufferPointer<UInt32>, _ start: Int, _ end: Int, _ out: inout [Int]) {
        @inline(__always) func digit(_ i: Int) -> Bool { i < end && (0x30...0x39).contains(cps[i]) }
        var gapStart = start
        var i = start
        while i < end {
            if digit(i) && digit(i + 1) && digit(i + 2) {
                if i > gapStart { out.append(i - gapStart) }
                out.append(3)
                i += 3
                gapStart = i
            } else {
                i += 1
            }
        }
        if end > gapStart { out.append(end - gapStart) }
    }
}
