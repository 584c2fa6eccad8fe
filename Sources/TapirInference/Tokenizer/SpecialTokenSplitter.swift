/// Cuts text at the special tokens it contains, before the tokenizer proper runs.
///
/// Like llama.cpp: special tokens are tried longest first, and each one splits every text
/// fragment left by the longer ones at all its occurrences.
enum SpecialTokenSplitter {
    enum Fragment: Equatable {
        case text(Range<Int>)
        case token(Int32)
    }

    static func split(_ bytes: [UInt8], specialTokens: [SpecialToken], parseSpecial: Bool) -> [Fragment] {
        guard !bytes.isEmpty else { return [] }
        var fragments: [Fragment] = [.text(0..<bytes.count)]
        bytes.withUnsafeBufferPointer { text in
            for special in specialTokens {
                if !parseSpecial && (special.type == .control || special.type == .unknown) { continue }
                let needle = special.bytes
                guard let firstByte = needle.first else { continue }
                var next: [Fragment] = []
                next.reserveCapacity(fragments.count + 4)
                var changed = false
                for fragment in fragments {
                    guard case .text(let range) = fragment else { next.append(fragment); continue }
                    var cursor = range.lowerBound
                    var searchFrom = range.lowerBound
                    let limit = range.upperBound - needle.count
                    while searchFrom <= limit {
                        if text[searchFrom] == firstByte && matches(text, at: searchFrom, needle) {
                            if searchFrom > cursor { next.append(.text(cursor..<searchFrom)) }
                            next.append(.token(special.id))
                            changed = true
                            searchFrom += needle.count
                            cursor = searchFrom
                        } else {
                            searchFrom += 1
                        }
                    }
                    if cursor < range.upperBound { next.append(.text(cursor..<range.upperBound)) }
                }
                if changed { fragments = next }
            }
        }
        return fragments
    }

    @inline(__always)
    private static func matches(_ text: UnsafeBufferPointer<UInt8>, at offset: Int, _ needle: [UInt8]) -> Bool {
        for i in 1..<needle.count where text[offset + i] != needle[i] { return false }
        return true
    }
}
