/// A candidate SentencePiece merge: highest score first, then leftmost.
struct SentencePieceBigram: Comparable {
    let score: Float
    let left: Int32
    let right: Int32
    let size: Int32

    static func < (a: Self, b: Self) -> Bool {
        a.score > b.score || (a.score == b.score && a.left < b.left)
    }
}

extension Tokenizer {
    /// SentencePiece (BPE by piece score) of one text fragment: spaces become `▁`, characters
    /// merge while the pair is a vocabulary entry, highest score first; pieces not in the
    /// vocabulary fall back to `<0xXX>` byte tokens.
    func encodeSentencePiece(
        _ fragment: UnsafeBufferPointer<UInt8>, spacePrefix: Bool, into output: inout [Int32], scratch: inout EncoderScratch
    ) {
        var text = scratch.text
        text.removeAll(keepingCapacity: true)
        if spacePrefix { text.append(contentsOf: [0xE2, 0x96, 0x81]) }
        for b in fragment {
            if b == 0x20 { text.append(contentsOf: [0xE2, 0x96, 0x81]) } else { text.append(b) }
        }
        defer { scratch.text = text }
        guard !text.isEmpty else { return }

        scratch.starts.removeAll(keepingCapacity: true)
        scratch.lengths.removeAll(keepingCapacity: true)
        scratch.next.removeAll(keepingCapacity: true)
        scratch.prev.removeAll(keepingCapacity: true)
        scratch.spmHeap.removeAll()
        var offset = 0
        var index: Int32 = 0
        while offset < text.count {
            let lead = text[offset]
            let length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
            let n = min(length, text.count - offset)
            scratch.starts.append(Int32(offset))
            scratch.lengths.append(Int32(n))
            offset += n
            scratch.prev.append(index - 1)
            scratch.next.append(offset == text.count ? -1 : index + 1)
            index += 1
        }
        text.withUnsafeBufferPointer { buffer in
            for i in 1..<scratch.starts.count { pushBigram(Int32(i - 1), Int32(i), buffer, &scratch) }
            while let bigram = scratch.spmHeap.pop() {
                let l = Int(bigram.left), r = Int(bigram.right)
                let ln = scratch.lengths[l], rn = scratch.lengths[r]
                if ln == 0 || rn == 0 || ln + rn != bigram.size { continue }
                scratch.lengths[l] = ln + rn
                scratch.lengths[r] = 0
                let after = scratch.next[r]
                scratch.next[l] = after
                if after >= 0 { scratch.prev[Int(after)] = bigram.left }
                pushBigram(scratch.prev[l], bigram.left, buffer, &scratch)
                pushBigram(bigram.left, after, buffer, &scratch)
            }
            var i: Int32 = 0
            while i >= 0 {
                let start = Int(scratch.starts[Int(i)]), length = Int(scratch.lengths[Int(i)])
                let piece = Array(buffer[start..<(start + length)])
                if let id = idForBytes[piece] {
                    output.append(id)
                } else {
                    for b in piece {
                        let id = byteTokens[Int(b)]
                        if id >= 0 { output.append(id) } else if let unknown { output.append(unknown) }
                    }
                }
                i = scratch.next[Int(i)]
            }
        }
    }

    private func pushBigram(_ left: Int32, _ right: Int32, _ text: UnsafeBufferPointer<UInt8>, _ scratch: inout EncoderScratch) {
        guard left >= 0, right >= 0 else { return }
        let start = Int(scratch.starts[Int(left)])
        let size = Int(scratch.lengths[Int(left)] + scratch.lengths[Int(right)])
        guard let id = idForBytes[Array(text[start..<(start + size)])] else { return }
        scratch.spmHeap.push(SentencePieceBigram(score: scores[Int(id)], left: left, right: right, size: Int32(size)))
    }
}
