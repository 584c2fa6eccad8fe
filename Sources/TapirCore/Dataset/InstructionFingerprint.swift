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

    /// The hash and split point of one instruction, computed in one pass.
    public struct Fingerprint: Sendable, Hashable {
        /// 32 hex digits identifying the normalised instruction and input.
        public var hash: String
        /// A number in [0, 1) derived from the normalised text.
        public var splitPoint: Double

        /// `.eval` when the split point falls below `evalFraction`.
        public func split(evalFraction: Double) -> DataSplit {
            evalFraction > 0 && splitPoint < evalFraction ? .eval : .train
        }
    }

    /// Hash and split point of the normalised instruction and input.
    public static func fingerprint(instruction: String, input: String) -> Fingerprint {
        var digest = Digest()
        feedNormalized(instruction, into: &digest)
        digest.feed(0x1f)
        feedNormalized(input, into: &digest)
        let a = mix(digest.a), b = mix(digest.b)
        return Fingerprint(hash: hex(a) + hex(b), splitPoint: Double(mix(a) >> 11) / Double(UInt64(1) << 53))
    }

    /// 32 hex digits identifying the normalised instruction and input.
    public static func hash(instruction: String, input: String) -> String {
        fingerprint(instruction: instruction, input: input).hash
    }

    /// A number in [0, 1) derived from the normalised text: the same instruction always
    /// lands on the same side of any eval fraction.
    public static func splitPoint(instruction: String, input: String) -> Double {
        fingerprint(instruction: instruction, input: input).splitPoint
    }

    /// `.eval` when the split point falls below `evalFraction`.
    public static func split(instruction: String, input: String, evalFraction: Double) -> DataSplit {
        fingerprint(instruction: instruction, input: input).split(evalFraction: evalFraction)
    }

    /// Two FNV-1a style 64-bit states fed with the normalised UTF-8 bytes.
    private struct Digest {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325
        var b: UInt64 = 0x6c62_272e_07bb_0142

        mutating func feed(_ byte: UInt8) {
            let prime: UInt64 = 0x0000_0100_0000_01b3
            a = (a ^ UInt64(byte)) &* prime
            b = (b ^ UInt64(byte)) &* prime
            b = (b << 7) | (b >> 57)
        }
    }

    /// Feeds the bytes of `normalize(text)`; ASCII text takes a fast path with the same result.
    private static func feedNormalized(_ text: String, into digest: inout Digest) {
        var text = text
        let ascii = text.withUTF8 { bytes -> Bool in
            for byte in bytes where byte >= 0x80 { return false }
            var pendingSpace = false
            var started = false
            for var byte in bytes {
                if byte == 0x20 || (0x09...0x0D).contains(byte) {
                    pendingSpace = started
                    continue
                }
                if pendingSpace {
                    digest.feed(0x20)
                    pendingSpace = false
                }
                if byte >= 0x41 && byte <= 0x5A { byte += 0x20 }
                digest.feed(byte)
                started = true
            }
            return true
        }
        if !ascii {
            for byte in normalize(text).utf8 { digest.feed(byte) }
        }
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
