import Foundation
import Testing
@testable import TapirEngine

@Suite struct TrainerCommandTemplateTests {
    /// Runs `command` under /bin/sh and returns the lines it prints.
    func shell(_ command: String) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    static let tricky = "/tmp/my data/it's \"round\" $HOME `x` \\ end"

    @Test(arguments: [
        "printf '%s\\n' {data}",                 // bare
        "printf '%s\\n' '{data}'",               // single-quoted, as the example configs write it
        "printf '%s\\n' \"{data}\"",             // double-quoted
        "printf '%s\\n' \"$(printf '%s' '{data}')\"",  // inside a command substitution
        "printf '%s\\n' \"$(printf '%s' {data})\"",
    ])
    func everyQuotingContextPassesTheValueThrough(_ template: String) throws {
        let command = TrainerCommandTemplate.shellExpand(template, values: ["data": Self.tricky])
        #expect(try shell(command) == [Self.tricky], "\(command)")
    }

    @Test func severalPlaceholdersAndUnknownOnesKept() throws {
        let template = "printf '%s|%s|%s|%s\\n' {round} '{output}/model.gguf' {unknown} ${HOME:+set}"
        let command = TrainerCommandTemplate.shellExpand(template, values: ["round": "3", "output": "/a b/c"])
        #expect(try shell(command) == ["3|/a b/c/model.gguf|{unknown}|set"])
    }

    @Test func placeholderNames() {
        #expect(TrainerCommandTemplate.placeholderNames(in: "x '{data}' {round} ${HOME} {a,b} {output}/m") == ["data", "round", "output"])
    }
}
