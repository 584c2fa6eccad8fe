/// The keys and values of one sequence for every layer, grown on demand. Held at half
/// precision, as llama.cpp's default F16 cache.
public final class KVCache: @unchecked Sendable {
    let layers: Int
    let width: Int
    /// Per layer: `capacity × width` half-precision values.
    private(set) var keys: [UnsafeMutablePointer<Float16>]
    private(set) var values: [UnsafeMutablePointer<Float16>]
    private(set) var capacity: Int
    /// Number of positions filled (the next token goes at this position).
    public internal(set) var count: Int = 0

    init(layers: Int, width: Int, capacity: Int = 64) {
        self.layers = layers
        self.width = width
        self.capacity = max(1, capacity)
        keys = (0..<layers).map { _ in .allocate(capacity: max(1, capacity) * width) }
        values = (0..<layers).map { _ in .allocate(capacity: max(1, capacity) * width) }
    }

    deinit {
        for p in keys { p.deallocate() }
        for p in values { p.deallocate() }
    }

    /// Makes room for positions `0..<n`.
    func reserve(_ n: Int) {
        guard n > capacity else { return }
        var newCap = capacity
        while newCap < n { newCap *= 2 }
        for l in 0..<layers {
            let k = UnsafeMutablePointer<Float16>.allocate(capacity: newCap * width)
            k.update(from: keys[l], count: count * width)
            keys[l].deallocate()
            keys[l] = k
            let v = UnsafeMutablePointer<Float16>.allocate(capacity: newCap * width)
            v.update(from: values[l], count: count * width)
            values[l].deallocate()
            values[l] = v
        }
        capacity = newCap
    }

    /// Forgets positions from `n` on (keeps `0..<n`).
    public func truncate(to n: Int) { count = min(count, max(0, n)) }

    /// Bytes held.
    public var byteCount: Int { 2 * layers * capacity * width * MemoryLayout<Float16>.size }
}
