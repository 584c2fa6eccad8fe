import Foundation
import Testing
import TapirStore
@testable import TapirEngine

/// Chunked stage inputs: every id gets what its chunk's read returned, chunks are read in
/// work order with the sizes asked for, and an id outside the list has no input.
@Suite struct StageInputsTests {
    final class ReadLog: @unchecked Sendable {
        private let lock = NSLock()
        private var chunks: [[Int64]] = []
        func record(_ ids: [Int64]) { lock.withLock { chunks.append(ids) } }
        var all: [[Int64]] { lock.withLock { chunks } }
    }

    @Test func everyIdGetsItsChunksInputInWorkOrder() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tapir-inputs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try WorkspaceStore(path: folder.appendingPathComponent("tapir.sqlite").path)
        let ids: [Int64] = (0..<1000).map { Int64(($0 * 7919) % 1000) }
        let log = ReadLog()
        let inputs = StageInputs(ids: ids, store: store, first: 7, chunk: 100) { _, chunk -> [Int64: String] in
            log.record(chunk)
            // Odd ids have no input (a missing instruction).
            return Dictionary(uniqueKeysWithValues: chunk.filter { $0 % 2 == 0 }.map { ($0, "input \($0)") })
        }
        // Asked from the end first: the answer still comes from the right chunk.
        for id in ids.reversed() {
            let input = try await inputs.input(for: id)
            #expect(input == (id % 2 == 0 ? "input \(id)" : nil))
        }
        #expect(try await inputs.input(for: 5000) == nil)
        let chunks = log.all
        #expect(chunks.map(\.count) == [7] + Array(repeating: 100, count: 9) + [93])
        #expect(chunks.flatMap { $0 } == ids)
    }
}
