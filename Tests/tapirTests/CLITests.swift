import Foundation
import Testing
import TapirCore
import TapirStore

/// Runs the built `tapir` executable against temporary workspaces.
@Suite("tapir command line")
struct CLITests {
    /// The `tapir` binary next to the test bundle.
    static var binary: URL { TapirProcess.binary }

    @discardableResult
    func tapir(_ arguments: [String], in directory: URL? = nil) async throws -> TapirProcess.Run {
        try await TapirProcess.run(arguments, in: directory)
    }

    func tempDir() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tapir-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func status(_ ws: URL) async throws -> [String: Any] {
        let run = try await tapir(["status", "--json", "--workspace", ws.path])
        #expect(run.status == 0, "\(run.stderr)")
        return try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
    }

    @Test func initImportStatusExport() async throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ws = dir.appendingPathComponent("ws")
        let initRun = try await tapir(["init", ws.path])
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
        let imported = try await tapir(["import", data.path, "--eval-fraction", "0"], in: ws.appendingPathComponent("logs"))
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("imported 3"))
        #expect(imported.stderr.contains("seed.jsonl line 4: invalid JSON"))

        let again = try await tapir(["import", data.path, "--workspace", ws.path])
        #expect(again.status == 0)
        #expect(again.stdout.contains("imported 0") && again.stdout.contains("duplicates skipped 3"))

        let summary = try await status(ws)
        #expect(summary["instructions"] as? Int == 3)
        #expect(summary["bySplit"] as? [String: Int] == ["train": 3])
        #expect((summary["byCategory"] as? [String: Int])?["Math"] == 1)
        #expect((summary["byCategory"] as? [String: Int])?["(none)"] == 1)
        #expect(summary["responsesByRole"] as? [String: Int] == ["teacher": 3])
        let text = try await tapir(["status", "--workspace", ws.path])
        #expect(text.stdout.contains("Instructions: 3"))

        let out = dir.appendingPathComponent("out")
        let export = try await tapir(["export", "--workspace", ws.path, "--format", "sharegpt", "--out", out.path])
        #expect(export.status == 0, "\(export.stderr)")
        let lines = try String(contentsOf: out.appendingPathComponent("sharegpt.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as! [String: [[String: String]]]
        #expect(first["conversations"]?.first?["value"] == "What is 7 * 8?")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("alpaca.json").path))
        let info = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("dataset_info.json"))) as! [String: Any]
        #expect(Array(info.keys) == ["tapir_seed_sharegpt"])
    }

    @Test func failuresExitNonZeroWithAReason() async throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let noWorkspace = try await tapir(["status", "--workspace", dir.path])
        #expect(noWorkspace.status != 0)
        #expect(noWorkspace.stderr.contains("not a tapir workspace"))

        let ws = dir.appendingPathComponent("ws")
        try await tapir(["init", ws.path])
        let bad = dir.appendingPathComponent("bad.json")
        try #"[{"input": "no instruction"}, 3]"#.write(to: bad, atomically: true, encoding: .utf8)
        let run = try await tapir(["import", "--workspace", ws.path, bad.path])
        #expect(run.status != 0)
        #expect(run.stderr.contains("bad.json index 0: missing instruction"))
        #expect(run.stderr.contains("bad.json index 1: expected a JSON object"))

        try "curriculum:\n  rounds: 2\n".write(to: ws.appendingPathComponent("tapir.yaml"), atomically: true, encoding: .utf8)
        let config = try await tapir(["import", "--workspace", ws.path, bad.path])
        #expect(config.status != 0)
        #expect(config.stderr.contains("curriculum.alpha"))
    }

    @Test func anotherProcessReadsWhileThisOneWrites() async throws {
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
            let summary = try await status(workspace.root)
            seen.append(summary["instructions"] as? Int ?? -1)
        }
        while try await store.read({ try $0.instructionCount() }) < 10_000 { try await Task.sleep(nanoseconds: 50_000_000) }
        // Every read saw a committed state: whole batches only, never going backwards.
        #expect(seen.allSatisfy { $0 >= 0 && $0 % 250 == 0 })
        #expect(seen == seen.sorted())
        let final = try await status(workspace.root)
        #expect(final["instructions"] as? Int == 10_000)
    }
}
