import CNcursesw
import Testing
import TerminalUI
#if canImport(Glibc)
import Glibc
#endif

/// Checks TerminalUI's own width tables against the C library's `wcwidth` (an independent
/// implementation generated from the Unicode data files), scalar by scalar.
@Suite struct DisplayWidthReferenceTests {
    @Test func agreesWithWcwidthOnAssignedScalars() throws {
        guard setlocale(LC_CTYPE, "C.UTF-8") != nil || setlocale(LC_CTYPE, "en_US.UTF-8") != nil else { return }
        var compared = 0
        var mismatches: [String] = []
        for v in UInt32(0x20)...UInt32(0x3FFFF) {
            guard let s = Unicode.Scalar(v) else { continue }
            let p = s.properties
            if p.generalCategory == .unassigned || p.generalCategory == .privateUse || p.generalCategory == .control { continue }
            let ref = Int(tapir_wcwidth(wchar_t(bitPattern: v)))
            guard ref >= 0 else { continue }  // the C library does not know this scalar (newer Unicode)
            compared += 1
            let mine = DisplayWidth.scalarWidth(s)
            // U+1171E: a spacing mark in current Unicode that the C library still treats as non-spacing.
            if mine != ref && v != 0x1171E { mismatches.append(String(v, radix: 16) + ":\(mine)/\(ref)") }
        }
        #expect(compared > 100_000)
        // Allow a handful of deliberate differences (e.g. emoji modifiers we fold into the base).
        #expect(mismatches.count == 0, "\(mismatches.count) mismatches: \(mismatches.prefix(120).joined(separator: " "))")
    }
}
