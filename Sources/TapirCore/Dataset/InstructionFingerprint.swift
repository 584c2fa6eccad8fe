/// Whitespace- and case-insensitive identity of an instruction, used to skip duplicates
/// and to split train/eval deterministically.
public enum InstructionFingerprint {
    /// Lowercased, with runs of whitespace collapsed to one space and the ends trimmed.
    public static func normalize(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.lowercased().unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace {
                    result.append(" ")
                    pendingSpace = false
                }
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// 32 hex digits identifying the normalised instruction and input.
    public static func hash(instruction: String, input: String) -> String {
        let (a, b) = digest(instruction: instruction, input: input)
        return hex(a) + hex(b)
    }

    /// A number in [0, 1) derived from the normalised text: the same instruction always
    /// lands on the same side of any eval fraction.
    public static func splitPoint(instruction: String, input: String) -> Double {
        let (a, _) = digest(instruction: instruction, input: input)
        return Double(mix(a) >> 11) / Double(UInt64(1) << 53)
    }

    /// `.eval` when the split point falls below `evalFraction`.
    public static func split(instruction: String, input: String, evalFraction: Double) -> DataSplit {
        evalFraction > 0 && splitPoint(instruction: instruction, input: input) < evalFraction ? .eval : .train
    }

    private static func digest(instruction: String, input: String) -> (UInt64, UInt64) {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325
        var b: UInt64 = 0x6c62_272e_07bb_0142
        let prime: UInt64 = 0x0000_0100_0000_01b3
        func feed(_ byte: UInt8) {
            a = (a ^ UInt64(byte)) &* prime
            b = (b ^ UInt64(byte)) &* prime
            b = (b << 7) | (b >> 57)
        }
        for byte in normalize(instruction).utf8 { feed(byte) }
        feed(0x1f)
        for byte in normalize(input).utf8 { feed(byte) }
        return (mix(a), mix(b))
    }

    /// SplitMix64 finaliser: spreads every input bit over the output.
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    private static func hex(_ value: UInt64) -> String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
