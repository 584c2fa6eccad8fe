import Foundation
import TapirStore

/// Ends trainers a stopped engine left behind, on the next engine start.
///
/// An engine killed (SIGKILL, a crash, a closed terminal) while its trainer ran cannot end
/// the trainer's process group, so the trainer and its workers keep running (and holding
/// memory or GPUs). Every trainer run records its process group (`TrainerRunRecord.pgid`,
/// with the leader's start time). At start the engine holds the workspace's engine lock, so
/// no other engine's trainer can be running: any recorded group still alive and still the
/// trainer's (`TrainerProcessGroup.liveMembers`) is ended (SIGTERM, then SIGKILL after
/// `grace` seconds), and a run still marked running is recorded as failed.
public enum OrphanedTrainerReaper {
    /// What one reap found.
    public struct Report: Sendable, Hashable {
        /// Runs whose process group was still alive and was ended.
        public var endedRuns: [Int64] = []
        /// Runs left `running` that were recorded as failed.
        public var failedRuns: [Int64] = []
    }

    /// Ends the orphaned trainer groups of `store`'s workspace and records what it did as
    /// warning events. Call only while holding the engine lock, before any stage runs.
    @discardableResult
    public static func reap(store: WorkspaceStore, grace: Double = 5) async throws -> Report {
        let runs = try await store.read { try $0.trainerRuns() }.filter { $0.status == .running || $0.status == .failed }
        var report = Report()
        for run in runs {
            guard let id = run.id else { continue }
            if let pid = run.pid, let pgid = run.pgid {
                let group = TrainerProcessGroup(pid: pid, pgid: pgid, startTicks: run.processStartTicks)
                let ended = await group.terminate(grace: grace)
                if ended > 0 {
                    report.endedRuns.append(id)
                    let left = group.isAlive ? "; some still run: end process group \(pgid) by hand" : ""
                    try await store.write { writer in
                        _ = try writer.log(.warning, source: "trainer",
                                           "round \(run.round): trainer run \(id) was still running after its engine stopped; "
                                               + "ended its process group \(pgid) (\(ended) process(es))\(left)",
                                           round: run.round, stage: .train)
                    }
                }
            }
            if run.status == .running {
                report.failedRuns.append(id)
                try await store.write { writer in
                    try writer.finishTrainerRun(id: id, status: .failed, exitCode: nil, output: run.output)
                    _ = try writer.log(.warning, source: "trainer",
                                       "round \(run.round): trainer run \(id) was interrupted (the engine stopped while it ran); "
                                           + "recorded as failed, the train stage runs it again",
                                       round: run.round, stage: .train)
                }
            }
        }
        return report
    }
}
