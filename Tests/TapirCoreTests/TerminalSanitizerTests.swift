import Testing
@testable import TapirCore

@Suite struct TerminalSanitizerTests {
    /// True when the text holds no scalar a terminal would act on.
    private func isInert(_ s: String, allowNewline: Bool = true) -> Bool {
        s.unicodeScalars.allSatisfy { u in
            let v = u.value
            if v == 0x0A || v == 0x09 { return allowNewline }
            if v < 0x20 || (0x7F...0x9F).contains(v) { return false }
            if (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) { return false }
            return true
        }
    }

    @Test func plainTextIsUnchanged() {
        let text = "Hello, 世界! café 👩‍💻 ✓\nsecond\tline"
        #expect(TerminalSanitizer.sanitize(text) == text)
    }

    @Test func sgrColourSequenceIsShownNotApplied() {
        let out = TerminalSanitizer.sanitize("red \u{1B}[31mALERT\u{1B}[0m done")
        #expect(out == "red ␛[31mALERT␛[0m done")
        #expect(isInert(out))
    }

    @Test func cursorMovementAndClearScreen() {
        let out = TerminalSanitizer.sanitize("a\u{1B}[2J\u{1B}[H\u{1B}[10;20Hb\u{1B}[?1049h")
        #expect(out == "a␛[2J␛[H␛[10;20Hb␛[?1049h")
    }

    @Test func osc52ClipboardPayloadIsDropped() {
        let payload = "c;Y3VybCBldmlsLnNoIHwgc2g="
        let out = TerminalSanitizer.sanitize("x\u{1B}]52;\(payload)\u{07}y")
        #expect(out == "x␛]52…y")
        #expect(!out.contains("Y3VybC"))
    }

    @Test func titleSettingWithStringTerminator() {
        let out = TerminalSanitizer.sanitize("\u{1B}]0;pwned title\u{1B}\\after")
        #expect(out == "␛]0…after")
    }

    @Test func unterminatedOSCSwallowsRestButStaysVisible() {
        let out = TerminalSanitizer.sanitize("before\u{1B}]2;never ends")
        #expect(out == "before␛]2…")
    }

    @Test func dcsSequence() {
        let out = TerminalSanitizer.sanitize("\u{1B}P1$qm\u{1B}\\ok")
        #expect(out == "␛P1…ok")
    }

    @Test func eightBitC1Sequences() {
        let out = TerminalSanitizer.sanitize("a\u{9B}31mb\u{9D}0;title\u{9C}c\u{85}d")
        #expect(out == "a⟨CSI⟩b⟨C1 9D…⟩c⟨C1 85⟩d")
        #expect(isInert(out))
    }

    @Test func c0ControlsBecomeControlPictures() {
        let out = TerminalSanitizer.sanitize("bell\u{07} bs\u{08} nul\u{00} del\u{7F} esc\u{1B}")
        #expect(out == "bell␇ bs␈ nul␀ del␡ esc␛")
    }

    @Test func loneCarriageReturnIsVisibleButCRLFIsNewline() {
        #expect(TerminalSanitizer.sanitize("progress 10%\rprogress 100%") == "progress 10%␍progress 100%")
        #expect(TerminalSanitizer.sanitize("a\r\nb") == "a\nb")
    }

    @Test func singleLineOptionsReplaceNewlinesAndTabs() {
        let out = TerminalSanitizer.sanitize("a\nb\tc", options: .singleLine)
        #expect(out == "a↵b c")
        #expect(!out.contains("\n"))
    }

    @Test func bidiOverridesAndIsolatesAreNamed() {
        let out = TerminalSanitizer.sanitize("admin\u{202E}txt.exe\u{202C} \u{2066}x\u{2069}")
        #expect(out == "admin⟨RLO⟩txt.exe⟨PDF⟩ ⟨LRI⟩x⟨PDI⟩")
        #expect(isInert(out))
    }

    @Test func invisibleFormatCharacters() {
        let out = TerminalSanitizer.sanitize("pass\u{200B}word\u{FEFF}\u{00AD}")
        #expect(out == "pass⟨ZWSP⟩word⟨BOM⟩⟨SHY⟩")
    }

    @Test func emojiJoinersAndVariationSelectorsSurvive() {
        let family = "👨‍👩‍👧 ❤️ 🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}"
        #expect(TerminalSanitizer.sanitize(family) == family)
        #expect(TerminalSanitizer.sanitize("a\u{E0041}b") == "a⟨U+E0041⟩b")
    }

    @Test func invalidUTF8BytesBecomeVisibleHex() {
        let bytes: [UInt8] = [0x61, 0xFF, 0x62, 0xC3, 0xA9, 0xE2, 0x82, 0x63, 0xC0, 0xAF, 0xED, 0xA0, 0x80]
        let out = TerminalSanitizer.sanitize(bytes: bytes)
        #expect(out == "a⟨xFF⟩bé⟨xE2⟩⟨x82⟩c⟨xC0⟩⟨xAF⟩⟨xED⟩⟨xA0⟩⟨x80⟩")
    }

    @Test func validMultibyteUTF8Decodes() {
        let text = "日本語 🎉 ü"
        #expect(TerminalSanitizer.sanitize(bytes: Array(text.utf8)) == text)
    }

    @Test func escapeBytesInsideByteInputAreNeutralised() {
        let out = TerminalSanitizer.sanitize(bytes: Array("x\u{1B}[1mbold".utf8))
        #expect(out == "x␛[1mbold")
    }

    @Test func longCSIParametersAreClipped() {
        let params = String(repeating: "1;", count: 50)
        let out = TerminalSanitizer.sanitize("\u{1B}[\(params)m")
        #expect(out.count < 20)
        #expect(out.hasPrefix("␛["))
        #expect(out.hasSuffix("…m"))
    }

    @Test func randomHostileMixIsAlwaysInert() {
        var rng = SplitMix(seed: 42)
        let pieces = ["\u{1B}", "[", "]", "52;", "\u{07}", "\u{9B}", "\u{202E}", "a", "字", "\r", "\u{0}", "\u{9D}", "\\", "m"]
        for _ in 0..<500 {
            var s = ""
            for _ in 0..<20 { s += pieces[Int(rng.next() % UInt64(pieces.count))] }
            let out = TerminalSanitizer.sanitize(s, options: .singleLine)
            #expect(isInert(out, allowNewline: false), "not inert: \(out.debugDescription)")
        }
    }
}

/// Small deterministic generator for the fuzz-style test.
struct SplitMix {
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
