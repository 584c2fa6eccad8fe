import ArgumentParser
import Foundation
import TerminalUI

/// `tapir theme list` and `tapir theme check FILE`.
struct ThemeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "theme",
        abstract: "List the dashboard themes or check a theme file.",
        subcommands: [List.self, Check.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the themes found and whether each one loads.")

        func run() throws {
            let entries = ThemeCatalog.standard().entries()
            if !entries.contains(where: { $0.name == "default" }) { print("default    (built in)") }
            for e in entries {
                switch e.result {
                case .success(let theme): print("\(e.name.padding(toLength: 14, withPad: " ", startingAt: 0)) \(e.path)  [\(theme.name)]")
                case .failure(let error): print("\(e.name.padding(toLength: 14, withPad: " ", startingAt: 0)) \(e.path)  BROKEN: \(error)")
                }
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Parse a theme file and report the first problem with its line.")

        @Argument(help: "Path of the .theme file.")
        var file: String

        func run() throws {
            do {
                let theme = try Theme.load(path: file)
                let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
                let defined = Set(text.split(separator: "\n").compactMap { line -> String? in
                    let t = line.trimmingCharacters(in: .whitespaces)
                    guard !t.hasPrefix("#"), let eq = t.firstIndex(of: "=") else { return nil }
                    return t[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
                })
                let missing = ThemeKey.allCases.map(\.rawValue).filter { !defined.contains($0) }
                print("\(file): ok (theme `\(theme.name)`)")
                if !missing.isEmpty { print("keys taken from the default theme: \(missing.joined(separator: ", "))") }
            } catch {
                print(error.description)
                throw ExitCode(1)
            }
        }
    }
}
