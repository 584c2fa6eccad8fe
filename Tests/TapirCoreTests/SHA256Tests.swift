import Testing
@testable import TapirCore

@Suite struct SHA256Tests {
    // FIPS 180-4 / NIST example vectors.
    @Test func nistShortMessages() {
        #expect(SHA256.hexDigest(of: "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hexDigest(of: "") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            SHA256.hexDigest(of: "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func nistMillionA() {
        var hasher = SHA256()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { hasher.update(chunk) }
        #expect(SHA256.hex(hasher.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func paddingBoundaries() {
        // Lengths around the 55/56/64-byte padding edges; digests from Python's hashlib.
        #expect(SHA256.hexDigest(of: String(repeating: "x", count: 55)) == Self.reference55)
        #expect(SHA256.hexDigest(of: String(repeating: "x", count: 56)) == Self.reference56)
        #expect(SHA256.hexDigest(of: String(repeating: "x", count: 64)) == Self.reference64)
    }

    @Test func incrementalEqualsOneShot() {
        let text = Array("The quick brown fox jumps over the lazy dog, many times over.".utf8)
        var hasher = SHA256()
        hasher.update(text[..<7])
        hasher.update(text[7...])
        #expect(hasher.finalize() == SHA256.digest(text))
    }

    static let reference55 = "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072"
    static let reference56 = "04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e"
    static let reference64 = "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c"
}
