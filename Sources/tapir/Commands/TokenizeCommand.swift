import ArgumentParser
import Foundation
import TapirInference

/// `tapir tokenize`: text on stdin → token ids, or ids → text with `--decode`.
/// Needs only the tokenizer metadata, so vocab-only GGUF files work too.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Print the token ids of the text on stdin (or decode ids with --decode).",
        discussion: """
            Special-token text in the input (e.g. <|im_start|>) is read as those tokens, as for \
            a chat-templated prompt. BOS/EOS are added when the model asks for them, unless --no-special.
            """)

    @Option(name: .long, help: "GGUF model or vocab-only file.")
    var model: String

    @Flag(name: .long, help: "Treat each input line separately: one line of ids per line of text (or of text per line of ids).")
    var lines = false

    @Flag(name: .long, help: "Read space-separated token ids and print their text.")
    var decode = false

    @Flag(name: .customLong("no-special"), help: "Leave out BOS/EOS (and, with --decode, control tokens).")
    var noSpecial = false

    func run() throws {
        let file = try GGUFFile(path: model)
        let tokenizer = try Tokenizer(metadata: file.metadata)
        let input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        var output = ""
        if decode {
            let chunks = lines ? Self.lines(of: input) : [input]
            for (lineNumber, chunk) in chunks.enumerated() {
                let ids = try Self.parseIDs(chunk, line: lineNumber + 1, vocabularySize: tokenizer.vocabularySize)
                output += tokenizer.decode(ids, renderSpecial: !noSpecial)
                if lines { output += "\n" }
            }
        } else {
            let chunks = lines ? Self.lines(of: input) : [input]
            for chunk in chunks {
                let ids = tokenizer.encode(chunk, addSpecial: !noSpecial)
                output += ids.map(String.init).joined(separator: " ") + "\n"
            }
        }
        FileHandle.standardOutput.write(Data(output.utf8))
    }

    /// Input lines without their line breaks (a final line break does not start an empty line).
    static func lines(of text: String) -> [String] {
        var result = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        if text.hasSuffix("\n") { result.removeLast() }
        return result
    }

    static func parseIDs(_ text: String, line: Int, vocabularySize: Int) throws -> [Int32] {
        try text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "," }).map { field in
            guard let id = Int32(field), id >= 0, Int(id) < vocabularySize else {
                throw InvalidTokenID(line: line, field: String(field), vocabularySize: vocabularySize)
            }
            return id
        }
    }
}

/// A `--decode` input field that is not an id of the model's vocabulary.
struct InvalidTokenID: Error, CustomStringConvertible {
    let line: Int
    let field: String
    let vocabularySize: Int

    var description: String {
        "stdin line \(line): '\(field)' is not a token id of this model (expected integers 0..<\(vocabularySize))"
    }
}
