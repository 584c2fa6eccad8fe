import Foundation
import Testing
@testable import TapirEngine

/// The recorded trainer group is ended only while it is still the trainer's: a pid whose
/// start time differs (a reused pid) is left alone; `/proc/<pid>/stat` is read right even
/// when the command name holds spaces and parentheses.
@Suite struct TrainerProcessGroupTests {
    @Test func statFieldsAreCountedAfterTheLastParenthesis() throws {
        let line = "4242 (my (odd) trainer) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 1 0 987654 1000 50"
        let stat = try #require(ProcessStat.parse(line))
        #expect(stat.pid == 4242 && stat.state == "S" && stat.pgrp == 4242 && stat.startTicks == 987_654)
        #expect(ProcessStat.parse("garbage") == nil)
        // This process, read from /proc.
        let own = try #require(ProcessStat.read(pid: getpid()))
        #expect(own.pid == getpid() && own.pgrp == getpgrp())
    }

    @Test func onlyTheRecordedProcessesAreEnded() async throws {
        let process = TrainerProcess(command: "sleep 60 & sleep 60", workingDirectory: FileManager.default.temporaryDirectory,
                                     environment: ProcessInfo.processInfo.environment, gracePeriod: 1)
        let started = GroupBox()
        let run = Task { try await process.run(onStart: { started.set($0) }, onLine: { _, _ in }) }
        var recorded: TrainerProcessGroup?
        for _ in 0..<100 where recorded == nil {
            try await Task.sleep(for: .milliseconds(20))
            recorded = started.value
        }
        let group = try #require(recorded)
        #expect(group.pgid == group.pid && group.pgid != getpgrp() && group.startTicks != nil)
        // The shell and its two sleeps (or one, when the shell execs the last command itself).
        for _ in 0..<100 where group.liveMembers().count < 2 { try await Task.sleep(for: .milliseconds(20)) }
        try await Task.sleep(for: .milliseconds(100))
        let members = group.liveMembers().count
        #expect(members == 2 || members == 3)

        // The same pid with another start time is someone else's process: left alone.
        let impostor = TrainerProcessGroup(pid: group.pid, pgid: group.pgid, startTicks: group.startTicks! + 1)
        #expect(impostor.liveMembers().isEmpty)
        #expect(await impostor.terminate(grace: 0.2) == 0)
        #expect(group.isAlive)
        // Our own group is never a trainer's.
        let ownStart = ProcessStat.read(pid: getpid())?.startTicks
        let own = TrainerProcessGroup(pid: getpid(), pgid: getpgrp(), startTicks: ownStart)
        #expect(own.liveMembers().isEmpty)

        #expect(await group.terminate(grace: 2) == members)
        #expect(!group.isAlive)
        let status = try await run.value
        #expect(status == 128 + SIGTERM)
    }
}

private final class GroupBox: @unchecked Sendable {
    private let lock = NSLock()
    private var group: TrainerProcessGroup?
    func set(_ value: TrainerProcessGroup) { lock.withLock { group = value } }
    var value: TrainerProcessGroup? { lock.withLock { group } }
}
