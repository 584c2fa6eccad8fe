import Foundation
import Testing
@testable import TerminalUI

@Suite struct ThemeCatalogTests {
    func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "themes-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func listsGoodAndBrokenFilesAndEarlierFolderWins() throws {
        let a = try tempDir(), b = try tempDir()
        try "text = red\n".write(toFile: a + "/mine.theme", atomically: true, encoding: .utf8)
        try "text = blue\n".write(toFile: b + "/mine.theme", atomically: true, encoding: .utf8)
        try "text = nonsense-colour\n".write(toFile: b + "/broken.theme", atomically: true, encoding: .utf8)
        let catalog = ThemeCatalog(directories: [a, b, "/nonexistent-dir"])
        let entries = catalog.entries()
        #expect(entries.map(\.name) == ["mine", "broken"])
        #expect(try entries[0].result.get()[.text].foreground == .red)
        guard case .failure(let error) = entries[1].result else {
            Issue.record("broken theme parsed")
            return
        }
        #expect(error.line == 1)
        #expect(try catalog.load(name: "mine")[.text].foreground == .red)
        #expect(try catalog.load(name: "default") == Theme.builtinDefault)
        #expect(throws: ThemeError.self) { try catalog.load(name: "missing") }
        #expect(try ThemeCatalog(directories: []).load(name: b + "/mine.theme")[.text].foreground == .blue)
    }
}
