import Foundation
import Testing
@testable import TapirInference

@Suite struct GGUFFileTests {
    func sample(version: UInt32 = 3) -> GGUFWriter {
        var w = GGUFWriter()
        w.version = version
        w.set("general.architecture", .string("llama"))
        w.set("u8", .uint8(200))
        w.set("i8", .int8(-5))
        w.set("u16", .uint16(60000))
        w.set("i16", .int16(-300))
        w.set("u32", .uint32(4_000_000_000))
        w.set("i32", .int32(-7))
        w.set("f32", .float32(1.5))
        w.set("bool", .bool(true))
        w.set("str", .string("héllo ✓"))
        w.set("u64", .uint64(1 << 40))
        w.set("i64", .int64(-(1 << 40)))
        w.set("f64", .float64(2.25))
        w.set("nested", .array([.array([.int32(1), .int32(2)]), .array([.int32(3)])]))
        w.set("strings", .array([.string("a"), .string(""), .string("ccc")]))
        w.addF32("t0", dimensions: [4, 2], values: [1, 2, 3, 4, 5, 6, 7, 8])
        w.addF32("t1", dimensions: [3], values: [9, 10, 11])
        return w
    }

    @Test(arguments: [UInt32(2), 3])
    func readsEveryValueType(version: UInt32) throws {
        let w = sample(version: version)
        let f = try GGUFFile(bytes: w.bytes())
        #expect(f.version == version)
        for (k, v) in w.metadata { #expect(f.metadata[k] == v, "key \(k)") }
        #expect(f.metadataKeys == w.metadata.map(\.0))
        #expect(f.tensors.map(\.name) == ["t0", "t1"])
        let t0 = try #require(f.tensor(named: "t0"))
        #expect(t0.dimensions == [4, 2] && t0.rowLength == 4 && t0.rowCount == 2 && t0.byteCount == 32)
        let vals = f.data(of: t0).withMemoryRebound(to: Float.self) { Array($0) }
        #expect(vals == [1, 2, 3, 4, 5, 6, 7, 8])
        let t1 = try #require(f.tensor(named: "t1"))
        #expect(f.data(of: t1).withMemoryRebound(to: Float.self) { Array($0) } == [9, 10, 11])
        #expect(f.dataOffset % 32 == 0)
    }

    @Test func honoursAlignment() throws {
        var w = sample()
        w.alignment = 64
        let f = try GGUFFile(bytes: w.bytes())
        #expect(f.alignment == 64)
        #expect(f.dataOffset % 64 == 0)
        #expect(f.tensor(named: "t1")?.offset == 64)
        #expect(f.data(of: f.tensor(named: "t1")!).withMemoryRebound(to: Float.self) { Array($0) } == [9, 10, 11])
    }

    @Test func rejectsBadAlignment() {
        var w = sample()
        w.set("general.alignment", .uint32(48))
        #expect(throws: GGUFError.invalidAlignment(48)) { try GGUFFile(bytes: w.bytes()) }
    }

    @Test func rejectsNonGGUF() {
        #expect(throws: GGUFError.notGGUF(magic: 0x6c6c_6568)) { try GGUFFile(bytes: Array("hello world, not gguf".utf8)) }
        #expect(throws: GGUFError.self) { try GGUFFile(bytes: []) }
    }

    @Test func rejectsVersion() {
        var w = sample()
        w.version = 1
        #expect(throws: GGUFError.unsupportedVersion(1)) { try GGUFFile(bytes: w.bytes()) }
    }

    @Test func rejectsHugeCounts() {
        var b = sample().bytes()
        // metadata count at byte 16
        for i in 16..<24 { b[i] = 0xFF }
        #expect(throws: GGUFError.self) { try GGUFFile(bytes: b) }
        var c = sample().bytes()
        for i in 8..<16 { c[i] = 0x7F }
        #expect(throws: GGUFError.self) { try GGUFFile(bytes: c) }
    }

    @Test func rejectsTensorOutsideFile() {
        var w = sample()
        w.tensors[1].dimensions = [3000]
        #expect {
            try GGUFFile(bytes: w.bytes())
        } throws: { e in
            if case GGUFError.tensorOutOfBounds(let name, _, _, _) = e { return name == "t1" }
            return false
        }
    }

    @Test func rejectsDuplicateKeys() {
        var w = sample()
        w.set("u8", .uint8(1))
        #expect(throws: GGUFError.duplicate(what: "metadata key", name: "u8")) { try GGUFFile(bytes: w.bytes()) }
    }

    @Test func mapsFileFromDisk() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tapir-gguf-\(UUID()).gguf")
        try Data(sample().bytes()).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let f = try GGUFFile(path: url.path)
        #expect(f.metadata["str"] == .string("héllo ✓"))
        #expect(throws: GGUFError.self) { try GGUFFile(path: url.path + ".absent") }
    }

    /// Every truncation point of a small file gives a typed error.
    @Test func truncationAtEveryPointThrows() {
        let b = sample().bytes()
        // The last tensor's data ends before the final padding; cut strictly inside it.
        let lastDataEnd = b.count - 32 + 12
        for n in 0..<lastDataEnd {
            #expect(throws: GGUFError.self, "truncated at \(n)") { try GGUFFile(bytes: Array(b[0..<n])) }
        }
    }

    /// Random byte mutations only ever produce typed errors or a valid parse.
    @Test func fuzzSmallFiles() {
        var rng = SplitMix64(seed: 42)
        let base = sample().bytes()
        for _ in 0..<5000 {
            var b = base
            let flips = 1 + Int(rng.next() % 4)
            for _ in 0..<flips {
                let i = Int(rng.next() % UInt64(b.count))
                switch rng.next() % 3 {
                case 0: b[i] ^= UInt8(1 << (rng.next() % 8))
                case 1: b[i] = UInt8(truncatingIfNeeded: rng.next())
                default: b[i] = 0xFF
                }
            }
            if rng.next() % 4 == 0 { b = Array(b[0..<Int(rng.next() % UInt64(b.count))]) }
            do { _ = try GGUFFile(bytes: b) } catch { #expect(!error.description.isEmpty) }
        }
    }

    /// Mutations of the real SmolLM2 header region give typed errors, never a crash.
    @Test func fuzzRealHeader() throws {
        guard let path = TestModel.path else {
            print(TestModel.missingMessage)
            return
        }
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        let real = try GGUFFile(path: path)
        let headerEnd = real.dataOffset
        // Keep the header plus the first tensor so parses stay cheap.
        let base = [UInt8](whole.prefix(headerEnd))
        var rng = SplitMix64(seed: 7)
        for round in 0..<40 {
            var b = base
            if round % 3 == 0 {
                b = Array(b[0..<Int(rng.next() % UInt64(b.count))])
            } else {
                for _ in 0..<(1 + Int(rng.next() % 3)) {
                    let i = Int(rng.next() % UInt64(min(b.count, 4096) ))
                    b[i] ^= UInt8(1 << (rng.next() % 8))
                }
            }
            do { _ = try GGUFFile(bytes: b) } catch { #expect(!error.description.isEmpty) }
        }
        // The real header without its data: tensors must be reported out of bounds.
        #expect(throws: GGUFError.self) { try GGUFFile(bytes: base) }
    }
}

/// A small deterministic generator for tests.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
