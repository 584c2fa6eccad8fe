import Testing
@testable import TerminalUI

@Suite struct KeymapTests {
    let map = Keymap([
        KeyBinding(.char("j"), "down", "move down"),
        KeyBinding(.down, "down", "move down"),
        KeyBinding(.char("q"), "quit", "quit"),
        KeyBinding(.char("a"), "approve", "approve the expansion", scope: "review"),
        KeyBinding(.char("j"), "next-item", "next item", scope: "review"),
    ])

    @Test func keySpecsRoundTrip() {
        for spec in ["j", "G", "ctrl-d", "enter", "esc", "tab", "shift-tab", "space", "pgdn", "f2", "?", ":"] {
            let key = Key(spec: spec)
            #expect(key != nil, "\(spec)")
            #expect(Key(spec: key!.description) == key)
        }
        #expect(Key(spec: "ctrl-") == nil)
        #expect(Key(spec: "hyper-x") == nil)
        #expect(Key(spec: "^u") == .ctrl("u"))
    }

    @Test func scopeLookupFallsBackToGlobal() {
        #expect(map.action(for: .char("a"), scope: "review") == "approve")
        #expect(map.action(for: .char("a"), scope: "rounds") == nil)
        #expect(map.action(for: .char("j"), scope: "review") == "next-item")
        #expect(map.action(for: .char("j"), scope: "rounds") == "down")
        #expect(map.action(for: .down, scope: "review") == "down")
    }

    @Test func screenScopeShadowingGlobalIsAConflict() {
        let conflicts = map.conflicts()
        #expect(conflicts.count == 1)
        #expect(conflicts.first?.key == .char("j"))
        #expect(conflicts.first?.actions == ["down", "next-item"])
    }

    @Test func overridesReplaceKeysAndReportNewConflicts() throws {
        let (m, conflicts) = try map.applying(overrides: ["approve": ["y", "enter"], "next-item": ["n"]])
        #expect(m.action(for: .char("y"), scope: "review") == "approve")
        #expect(m.action(for: .enter, scope: "review") == "approve")
        #expect(m.action(for: .char("a"), scope: "review") == nil)
        #expect(conflicts.isEmpty)
        let (_, clash) = try map.applying(overrides: ["quit": ["a"]])
        #expect(clash.contains { $0.key == .char("a") && $0.actions == ["approve", "quit"] })
    }

    @Test func badOverridesThrowWithActionName() {
        #expect(throws: KeymapOverrideError.self) { try map.applying(overrides: ["fly": ["x"]]) }
        do {
            _ = try map.applying(overrides: ["quit": ["ctrl-"]])
        } catch {
            #expect(error.description.contains("keys.quit"))
        }
    }

    @Test func markdownReferenceListsEveryAction() {
        let md = map.markdownReference()
        #expect(md.contains("### global"))
        #expect(md.contains("| `j` `down` | down | move down |"))
        #expect(md.contains("### review"))
        #expect(md.contains("| `a` | approve | approve the expansion |"))
    }

    @Test func helpEntriesGroupKeysPerAction() {
        let e = map.helpEntries(scope: "global")
        #expect(e.map(\.keys) == ["j / down", "q"])
    }
}
