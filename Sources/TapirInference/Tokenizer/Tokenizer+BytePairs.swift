extension Tokenizer {
    /// Byte-level BPE of one text fragment: pre-tokenize into words, then merge each word's
    /// bytes by merge rank (lowest rank first, leftmost first on ties).
    func encodeBytePairs(_ text: UnsafeBufferPointer<UInt8>, into output: inout [Int32], scratch: inout EncoderScratch) {
        guard !text.isEmpty, let preTokenizer else { return }
        decodeCodepoints(text, into: &scratch)
        let pieces = scratch.codepoints.withUnsafeBufferPointer { preTokenizer.split($0) }
        var cp = 0
        for length in pieces {
            let from = scratch.codepointOffsets[cp]
            let to = scratch.codepointOffsets[cp + length]
            cp += length
            encodeWord(UnsafeBufferPointer(rebasing: text[from..<to]), into: &output, scratch: &scratch)
        }
    }

    /// Fills `scratch.codepoints` with the scalars of valid UTF-8 `text` and
    /// `scratch.codepointOffsets` with their byte offsets (plus the end offset).
    func decodeCodepoints(_ text: UnsafeBufferPointer<UInt8>, into scratch: inout EncoderScratch) {
        scratch.codepoints.removeAll(keepingCapacity: true)
        scratch.codepointOffsets.removeAll(keepingCapacity: true)
        var i = 0
        let n = text.count
        while i < n {
            let b0 = UInt32(text[i])
            scratch.codepointOffsets.append(i)
            if b0 < 0x80 {
                scratch.codepoints.append(b0); i += 1
            } else if b0 < 0xE0, i + 1 < n {
                scratch.codepoints.append((b0 & 0x1F) << 6 | UInt32(text[i + 1] & 0x3F)); i += 2
            } else if b0 < 0xF0, i + 2 < n {
                scratch.codepoints.append((b0 & 0x0F) << 12 | UInt32(text[i + 1] & 0x3F) << 6 | UInt32(text[i + 2] & 0x3F)); i += 3
            } else if i + 3 < n {
                scratch.codepoints.append(
                    (b0 & 0x07) << 18 | UInt32(text[i + 1] & 0x3F) << 12 | UInt32(text[i + 2] & 0x3F) << 6 | UInt32(text[i + 3] & 0x3F))
                i += 4
            } else {
                scratch.codepoints.append(0xFFFD); i = n
            }
        }
        scratch.codepointOffsets.append(n)
    }

    private func encodeWord(_ word: UnsafeBufferPointer<UInt8>, into output: inout [Int32], scratch: inout EncoderScratch) {
        let n = word.count
        if n == 1 {
            let id = byteTokens[Int(word[0])]
            if id >= 0 { output.append(id) }
            return
        }
        if ignoreMerges, let id = idForBytes[Array(word)] {
            output.append(id)
            return
        }
        scratch.symbols.removeAll(keepingCapacity: true)
        scratch.next.removeAll(keepingCapacity: true)
        scratch.prev.removeAll(keepingCapacity: true)
        scratch.heap.removeAll()
        for i in 0..<n {
            scratch.symbols.append(byteTokens[Int(word[i])])
            scratch.next.append(i + 1 < n ? Int32(i + 1) : -1)
            scratch.prev.append(Int32(i - 1))
        }
        for i in 0..<(n - 1) { pushMerge(left: i, scratch: &scratch) }
        while let entry = scratch.heap.pop() {
            let left = Int(entry & 0xFFFF_FFFF)
            let rank = Int32(truncatingIfNeeded: entry >> 32)
            let leftID = scratch.symbols[left]
            if leftID < 0 { continue }  // merged away
            let right = Int(scratch.next[left])
            if right < 0 { continue }
            guard let rule = merges[UInt64(UInt32(bitPattern: leftID)) << 32 | UInt64(UInt32(bitPattern: scratch.symbols[right]))],
                  rule.rank == rank else { continue }  // stale entry
            scratch.symbols[left] = rule.merged
            scratch.symbols[right] = -1
            let after = scratch.next[right]
            scratch.next[left] = after
            if after >= 0 { scratch.prev[Int(after)] = Int32(left) }
            let before = Int(scratch.prev[left])
            if before >= 0 { pushMerge(left: before, scratch: &scratch) }
            if after >= 0 { pushMerge(left: left, scratch: &scratch) }
        }
        var i = 0
        while i >= 0 {
            let id = scratch.symbols[i]
            if id >= 0 { output.append(id) }
            i = Int(scratch.next[i])
        }
    }

    @inline(__always)
    private func pushMerge(left: Int, scratch: inout EncoderScratch) {
        let right = Int(scratch.next[left])
        guard right >= 0 else { return }
        let a = scratch.symbols[left], b = scratch.symbols[right]
        guard a >= 0, b >= 0,
              let rule = merges[UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b))] else { return }
        scratch.heap.push(UInt64(UInt32(bitPattern: rule.rank)) << 32 | UInt64(left))
    }
}
