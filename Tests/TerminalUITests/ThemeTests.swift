import Foundation
import Testing
@testable import TerminalUI

@Suite struct ThemeTests {
    @Test func parsesStylesRampAndComments() throws {
        let text = """
        # a comment
        name = test
        text = 252 on 234
        selection = white on #005faf bold underline   # trailing comment
        chart-ramp = red, 28, #00ff00
        """
        let t = try Theme.parse(text, source: "test.theme")
        #expect(t.name == "test")
        #expect(t[.text] == Style(foreground: .indexed(252), background: .indexed(234)))
        #expect(t[.selection] == Style(foreground: .white, background: .indexed(25), attributes: [.bold, .underline]))
        #expect(t.chartRamp == [.red, .indexed(28), .indexed(46)])
    }

    @Test func missingKeysFallBackToDefault() throws {
        let t = try Theme.parse("text = red\n", source: "partial.theme")
        #expect(t[.text].foreground == .red)
        #expect(t[.selection] == Theme.builtinDefault[.selection])
        #expect(t.chartRamp == Theme.builtinDefault.chartRamp)
    }

    @Test func brokenLinesReportLineAndReason() {
        #expect(throws: ThemeError(source: "b.theme", line: 2, reason: "expected `key = value`, found `text red`")) {
            try Theme.parse("name = x\ntext red\n", source: "b.theme")
        }
        do {
            _ = try Theme.parse("\n\nselection = 300 on 2", source: "c.theme")
            Issue.record("should fail")
        } catch {
            #expect(error.line == 3)
            #expect(error.reason.contains("300"))
        }
        do {
            _ = try Theme.parse("txt = red", source: "d.theme")
            Issue.record("should fail")
        } catch {
            #expect(error.line == 1 && error.reason.contains("unknown key `txt`"))
        }
        do {
            _ = try Theme.parse("text = red\ntext = blue", source: "e.theme")
            Issue.record("should fail")
        } catch {
            #expect(error.line == 2 && error.reason.contains("already set on line 1"))
        }
    }

    @Test func serializedRoundTrips() throws {
        let again = try Theme.parse(Theme.builtinDefault.serialized(), source: "default.theme")
        #expect(again == Theme.builtinDefault)
    }

    @Test func sixteenColourAdaptationUsesOnlyLowIndices() {
        let t = Theme.builtinDefault.adapted(to: .sixteen)
        for key in ThemeKey.allCases {
            for c in [t[key].foreground, t[key].background] {
                if case .indexed(let i) = c { #expect(i < 16, "\(key) \(c)") }
            }
        }
        #expect(Color.indexed(196).sixteenColor == .brightRed)
        #expect(Color.indexed(21).sixteenColor == .blue)
    }

    @Test func noColorKeepsAttributesOnly() {
        let t = Theme.builtinDefault.adapted(to: .none)
        for key in ThemeKey.allCases {
            #expect(t[key].foreground == .default && t[key].background == .default)
        }
        #expect(t[.selection].attributes.contains(.reverse))
        #expect(ColorDepth.detect(terminalColors: 256, environment: ["NO_COLOR": "1"]) == .none)
        #expect(ColorDepth.detect(terminalColors: 256, environment: [:]) == .ansi256)
        #expect(ColorDepth.detect(terminalColors: 8, environment: ["NO_COLOR": ""]) == .sixteen)
    }

    /// The shipped theme files all parse; default.theme equals the built-in default.
    @Test func shippedThemeFilesParse() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("themes")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".theme") }.sorted()
        #expect(files.count >= 4)
        for f in files {
            let theme = try Theme.load(path: dir.appendingPathComponent(f).path)
            #expect(!theme.name.isEmpty)
        }
        let def = try Theme.load(path: dir.appendingPathComponent("default.theme").path)
        #expect(def == Theme.builtinDefault)
        let sixteen = try Theme.load(path: dir.appendingPathComponent("sixteen.theme").path)
        for key in ThemeKey.allCases {
            for c in [sixteen[key].foreground, sixteen[key].background] {
                if case .indexed(let i) = c { #expect(i < 16, "sixteen.theme \(key) uses \(i)") }
            }
        }
    }
}
