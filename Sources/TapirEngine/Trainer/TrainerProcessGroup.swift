import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A trainer's process group as recorded at spawn: the leader (`/bin/sh`), the group id and
/// the leader's start time. Used to end the whole group (the trainer and everything it
/// started, e.g. torchrun workers): on cancellation, and on the next engine start for a
/// trainer a killed engine left behind.
///
/// A process counts as the trainer's when it is in the recorded group and started no earlier
/// than the recorded leader, unless the leader's pid is alive with another start time (then
/// the pid, and with it the group id, was reused: nothing is the trainer's). A group id is
/// not reused while any process is in it, so with the leader gone a later member can only
/// belong to another group after the pid space wrapped around. Membership is read from `/proc`
/// (Linux); elsewhere only the leader's own liveness can be checked and nothing is ended
/// without a recorded start time.
public struct TrainerProcessGroup: Sendable, Hashable {
    public var pid: Int32
    public var pgid: Int32
    /// The leader's start time, clock ticks since boot (`/proc/<pid>/stat` field 22).
    public var startTicks: Int64?

    public init(pid: Int32, pgid: Int32, startTicks: Int64?) {
        self.pid = pid
        self.pgid = pgid
        self.startTicks = startTicks
    }

    /// The group of a process just started: its pid, process group and start time.
    public static func of(pid: Int32) -> TrainerProcessGroup {
        let stat = ProcessStat.read(pid: pid)
        return TrainerProcessGroup(pid: pid, pgid: stat?.pgrp ?? getpgid(pid), startTicks: stat?.startTicks)
    }

    /// The live (not zombie) processes of this group that are the trainer's, by `/proc`.
    public func liveMembers() -> [Int32] {
        // Never our own group (a trainer that did not get a group of its own shares it).
        guard pgid > 1, pgid != getpgrp() else { return [] }
        // No process at all in the group: nothing to read from /proc.
        if kill(-pgid, 0) != 0, errno == ESRCH { return [] }
        #if os(Linux)
        guard let startTicks else { return [] }
        let members = ProcessStat.all().filter { $0.pgrp == pgid && $0.state != "Z" && $0.state != "X" }
        // The leader's pid alive with another start time: the pid was reused, the group is not ours.
        if members.contains(where: { $0.pid == pid && $0.startTicks != startTicks }) { return [] }
        return members.filter { $0.startTicks >= startTicks }.map(\.pid)
        #else
        return kill(pid, 0) == 0 ? [pid] : []
        #endif
    }

    /// Whether any of the trainer's processes still runs.
    public var isAlive: Bool { !liveMembers().isEmpty }

    /// Sends `signal` to the group (only when its members are still the trainer's).
    @discardableResult
    public func signal(_ signal: Int32) -> Bool {
        guard isAlive else { return false }
        return kill(-pgid, signal) == 0
    }

    /// Ends the group: SIGTERM, then SIGKILL once `grace` seconds passed with any member
    /// left. Returns how many of the trainer's processes were running at the start.
    @discardableResult
    public func terminate(grace: Double) async -> Int {
        let found = liveMembers().count
        guard found > 0 else { return 0 }
        _ = kill(-pgid, SIGTERM)
        await waitUntilEnded(within: grace)
        if isAlive {
            _ = kill(-pgid, SIGKILL)
            await waitUntilEnded(within: 2)
        }
        return found
    }

    /// Polls until no member is left or `seconds` passed.
    public func waitUntilEnded(within seconds: Double) async {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while isAlive, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
    }
}

/// The fields of `/proc/<pid>/stat` the trainer's group needs.
struct ProcessStat: Sendable, Hashable {
    var pid: Int32
    /// `R`, `S`, `D`, `Z` (zombie), …
    var state: Character
    var pgrp: Int32
    var startTicks: Int64

    /// `/proc/<pid>/stat` of a live process; nil when there is none (or no `/proc`).
    static func read(pid: Int32) -> ProcessStat? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return nil }
        return parse(text)
    }

    /// Every process in `/proc`.
    static func all() -> [ProcessStat] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return names.compactMap { Int32($0) }.compactMap { read(pid: $0) }
    }

    /// Parses one stat line: `pid (comm) state ppid pgrp … starttime(22) …`. The command
    /// name may hold spaces and parentheses, so fields are counted after its last `)`.
    static func parse(_ text: String) -> ProcessStat? {
        guard let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"),
              let pid = Int32(text[..<open].trimmingCharacters(in: .whitespaces)) else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        // fields[0] is field 3 (state), so field n is fields[n - 3].
        guard fields.count > 19, let state = fields[0].first, let pgrp = Int32(fields[2]),
              let start = Int64(fields[19]) else { return nil }
        return ProcessStat(pid: pid, state: state, pgrp: pgrp, startTicks: start)
    }
}
