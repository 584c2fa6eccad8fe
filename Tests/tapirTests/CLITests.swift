import Foundation
import Testing
import TapirCore
import TapirStore

/// Runs the built `tapir` executable against temporary workspaces.
@Suite("tapir command line")
struct CLITests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `tapir` binary next to the test bundle.
    static var binary: URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // The bundle may be a folder (…/tapirPackageTests.xctest/…) on some platforms.
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("tapir").path), dir.path != "/" {
            dir.deleteLastPathComponent()
        }
        return dir.appendingPathComponent("tapir")
    }

    @discardableResult
    func tapir(_ arguments: [String], in directory: URL? = nil) throws -> Run {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        let stderrData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
                   stderr: String(decoding: stderrData, as: UTF8.self))
    }

    func tempDir() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tapir-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func status(_ ws: URL) throws -> [String: Any] {
        let run = try tapir(["status", "--json", "--workspace", ws.path])
        #expect(run.status == 0, "\(run.stderr)")
        return try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
    }

    @Test func initImportStatusExport() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ws = dir.appendingPathComponent("ws")
        let initRun = try tapir(["init", ws.path])
        #expect(initRun.status == 0)
        for name in ["tapir.yaml", "tapir.sqlite", "exports", "logs"] {
            #expect(FileManager.default.fileExists(atPath: ws.appendingPathComponent(name).path))
        }
        let data = dir.appendingPathComponent("seed.jsonl")
        try """
            {"instruction": "What is 7 * 8?", "output": "56", "category": "Math"}
            {"instruction": "Write a function that reverses a string.", "output": "def rev(s): return s[::-1]", "category": "Code Generation"}
            {"conversations": [{"from": "human", "value": "Name a prime."}, {"from": "gpt", "value": "7"}]}
            this line is broken
            """.write(to: data, atomically: true, encoding: .utf8)
        // Found from a subfolder without --workspace.
        let imported = try tapir(["import", data.path, "--eval-fraction", "0"], in: ws.appendingPathComponent("logs"))
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("imported 3"))
        #expect(imported.stderr.contains("seed.jsonl line 4: invalid JSON"))

        let again = try tapir(["import", data.path, "--workspace", ws.path])
        #expect(again.status == 0)
        #expect(again.stdout.contains("imported 0") && again.stdout.contains("duplicates skipped 3"))

        let summary = try status(ws)
        #expect(summary["instructions"] as? Int == 3)
        #expect(summary["bySplit"] as? [String: Int] == ["train": 3])
        #expect((summary["byCategory"] as? [String: Int])?["Math"] == 1)
        #expect((summary["byCategory"] as? [String: Int])?["(none)"] == 1)
        #expect(summary["responsesByRole"] as? [String: Int] == ["teacher": 3])
        let text = try tapir(["status", "--workspace", ws.path])
        #expect(text.stdout.contains("Instructions: 3"))

        let out = dir.appendingPathComponent("out")
        let export = try tapir(["export", "--workspace", ws.path, "--format", "sharegpt", "--out", out.path])
        #expect(export.status == 0, "\(export.stderr)")
        let lines = try String(contentsOf: out.appendingPathComponent("sharegpt.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as! [String: [[String: String]]]
        #expect(first["conversations"]?.first?["value"] == "What is 7 * 8?")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("alpaca.json").path))
        let info = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("dataset_info.json"))) as! [String: Any]
        #expect(Array(info.keys) == ["tapir_seed_sharegpt"])
    }

    @Test func failuresExitNonZeroWithAReason() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let noWorkspace = try tapir(["status", "--workspace", dir.path])
        #expect(noWorkspace.status != 0)
        #expect(noWorkspace.stderr.contains("not a tapir workspace"))

        let ws = dir.appendingPathComponent("ws")
        try tapir(["init", ws.path])
        let bad = dir.appendingPathComponent("bad.json")
        try #"[{"input": "no instruction"}, 3]"#.write(to: bad, atomically: true, encoding: .utf8)
        let run = try tapir(["import", "--workspace", ws.path, bad.path])
        #expect(run.status != 0)
        #expect(run.stderr.contains("bad.json index 0: missing instruction"))
        #expect(run.stderr.contains("bad.json index 1: expected a JSON object"))

        try "curriculum:\n  rounds: 2\n".write(to: ws.appendingPathComponent("tapir.yaml"), atomically: true, encoding: .utf8)
        let config = try tapir(["import", "--workspace", ws.path, bad.path])
        #expect(config.status != 0)
        #expect(config.stderr.contains("curriculum.alpha"))
    }

    @Test func anotherProcessReadsWhileThisOneWrites() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let workspace = try Workspace.create(at: dir.appendingPathComponent("ws"))
        let store = try workspace.openStore()
        let writer = Thread {
            for batch in 0..<40 {
                try? store.write { w in
                    for i in 0..<250 {
                        _ = try w.insertInstruction(InstructionRecord(text: "batch \(batch) item \(i)", source: .dataset))
                    }
                }
            }
        }
        writer.start()
        var seen: [Int] = []
        for _ in 0..<8 {
            let summary = try status(workspace.root)
            seen.append(summary["instructions"] as? Int ?? -1)
        }
        while try store.read({ try $0.instructionCount() }) < 10_000 { Thread.sleep(forTimeInterval: 0.05) }
        // Every read saw a committed state: whole batches only, never going backwards.
        #expect(seen.allSatisfy { $0 >= 0 && $0 % 250 == 0 })
        #expect(seen == seen.sorted())
        #expect(try status(workspace.root)["instructions"] as? Int == 10_000)
    }
}
