import Foundation
import TapirCore
import TapirStore

/// Runs the configured trainer command for one round (the *train* stage).
///
/// Placeholders are expanded with shell quoting (`TrainerCommandTemplate`), the command runs
/// under `/bin/sh -c` in its own process group in `trainer.working_dir` (default: the
/// workspace) with `trainer.env` added to the environment. Its output goes line by line to
/// `logs/trainer-round-N.log` and, in batches, to the events table; loss lines become the
/// run's loss series. The run is recorded in `trainer_runs` from start to finish.
public struct TrainerRunner: Sendable {
    public let config: TrainerConfig
    public let workspace: Workspace
    public let store: WorkspaceStore
    /// Seconds between SIGTERM and SIGKILL when the run is cancelled.
    public var gracePeriod: Double
    /// The default `gracePeriod`.
    public static let defaultGracePeriod: Double = 10
    /// Seconds between batched writes of output events and loss points.
    public var flushInterval: Double

    public init(config: TrainerConfig, workspace: Workspace, store: WorkspaceStore,
                gracePeriod: Double = TrainerRunner.defaultGracePeriod, flushInterval: Double = 0.25) {
        self.config = config
        self.workspace = workspace
        self.store = store
        self.gracePeriod = gracePeriod
        self.flushInterval = flushInterval
    }

    /// `logs/trainer-round-N.log`.
    public func logURL(round: Int) -> URL {
        workspace.logsURL.appendingPathComponent("trainer-round-\(round).log")
    }

    /// The placeholder values for `job`.
    public func placeholderValues(for job: TrainerJob) -> [String: String] {
        let dataDir = job.dataDir ?? (isDirectory(job.data) ? job.data : job.data.deletingLastPathComponent())
        return [
            "data": job.data.path, "data_dir": dataDir.path, "round": String(job.round), "base": job.base,
            "output": outputURL(for: job).path, "workspace": workspace.root.path,
        ]
    }

    /// The command `job` runs, placeholders expanded and quoted; `nil` without a trainer.
    public func command(for job: TrainerJob) -> String? {
        guard let template = config.command, !template.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        return TrainerCommandTemplate.shellExpand(template, values: placeholderValues(for: job))
    }

    /// Runs the trainer for `job`. Without `trainer.command` it records a skipped run and
    /// returns `.skipped`. Throws `TrainerError` when the command cannot start, exits
    /// non-zero or does not produce `student_after`; `CancellationError` when the task is
    /// cancelled (the process group is ended and the run recorded as failed).
    public func run(_ job: TrainerJob) async throws -> TrainerOutcome {
        guard let command = command(for: job) else {
            let reason = "no trainer"
            try await store.write { writer in
                _ = try writer.startTrainerRun(round: job.round, command: "", logPath: nil, status: .skipped)
                _ = try writer.log(.info, source: "trainer", "skipped: \(reason) (trainer.command is not set)",
                                   round: job.round, stage: .train)
            }
            return .skipped(reason: reason)
        }
        let values = placeholderValues(for: job)
        let output = outputURL(for: job)
        let logURL = logURL(round: job.round)
        let fm = FileManager.default
        try fm.createDirectory(at: output, withIntermediateDirectories: true)
        try fm.createDirectory(at: workspace.logsURL, withIntermediateDirectories: true)
        if !fm.fileExists(atPath: logURL.path) { _ = fm.createFile(atPath: logURL.path, contents: nil) }
        let log = try FileHandle(forWritingTo: logURL)
        defer { try? log.close() }
        try log.seekToEnd()

        let round = job.round
        let logPath = logURL.path
        let run = try await store.write { try $0.startTrainerRun(round: round, command: command, logPath: logPath) }
        guard let runID = run.id else { throw StoreError.notFound(what: "trainer run", id: 0) }
        let sink = TrainerOutputSink(log: log, store: store, runID: runID, round: round)
        sink.note(.info, "round \(round): trainer run \(runID) started: \(command)")

        let workingDirectory = resolve(config.workingDir.map { TrainerCommandTemplate.plainExpand($0, values: values) })
        let environment = ProcessInfo.processInfo.environment.merging(config.env) { _, configured in configured }
        let process = TrainerProcess(command: command, workingDirectory: workingDirectory, environment: environment,
                                     gracePeriod: gracePeriod)
        let flusher = Task { [flushInterval] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(flushInterval))
                if Task.isCancelled { break }
                // A failed batch stays queued for the next flush.
                try? await sink.flush()
            }
        }
        let started = ContinuousClock.now
        let status: Int32
        do {
            var isFolder: ObjCBool = false
            guard fm.fileExists(atPath: workingDirectory.path, isDirectory: &isFolder), isFolder.boolValue else {
                throw TrainerError.launchFailed(command: command, reason: "working folder \(workingDirectory.path) does not exist")
            }
            do {
                // The process group is recorded as soon as it exists, for a restarted engine to
                // end it if this one is killed (`OrphanedTrainerReaper`).
                status = try await process.run(
                    onStart: { group in
                        // A task of its own: the store refuses writes from a cancelled task.
                        // Not recorded (a failed write) only means no cleanup after a kill.
                        _ = await Task {
                            try await store.write {
                                try $0.recordTrainerProcess(id: runID, pid: group.pid, pgid: group.pgid, startTicks: group.startTicks)
                            }
                        }.result
                    },
                    onLine: { line, stream in sink.consume(line, stream: stream) })
            } catch let error as CancellationError {
                throw error
            } catch {
                throw TrainerError.launchFailed(command: command, reason: error.localizedDescription)
            }
        } catch {
            flusher.cancel()
            await flusher.value
            let cancelled = error is CancellationError
            sink.note(.error, cancelled ? "round \(round): trainer run \(runID) cancelled; its process group was ended"
                                        : "round \(round): \(error)")
            try await finish(runID: runID, sink: sink, status: .failed, exitCode: nil, output: output.path)
            throw error
        }
        // The last periodic flush ends before the final one, so events keep their order.
        flusher.cancel()
        await flusher.value
        let elapsed = started.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18

        guard status == 0 else {
            let error = TrainerError.exited(code: status, lastLines: sink.lastLines, logPath: logPath)
            sink.note(.error, "round \(round): trainer run \(runID) exited with status \(status)")
            try await finish(runID: runID, sink: sink, status: .failed, exitCode: Int(status), output: output.path)
            throw error
        }
        var student: TrainedStudent?
        if let template = config.studentAfter {
            do {
                let parsed = try TrainedStudent.parse(TrainerCommandTemplate.plainExpand(template, values: values),
                                                      relativeTo: workingDirectory)
                if case let .gguf(path) = parsed, !fm.fileExists(atPath: path) {
                    throw TrainerError.studentMissing(path: path, template: template)
                }
                student = parsed
            } catch {
                sink.note(.error, "round \(round): \(error)")
                try await finish(runID: runID, sink: sink, status: .failed, exitCode: 0, output: output.path)
                throw error
            }
        }
        let summary = TrainerRunSummary(
            runID: runID, command: command, logPath: logPath, output: output.path, lossPoints: sink.lossCount,
            finalLoss: sink.lastLoss, seconds: seconds, student: student)
        sink.note(.info, "round \(round): trainer run \(runID) " + TrainerOutcome.trained(summary).message)
        try await finish(runID: runID, sink: sink, status: .succeeded, exitCode: 0, output: student?.spec ?? output.path)
        return .trained(summary)
    }

    /// Writes the remaining output and the run's end. Runs as its own task so that the
    /// record is written even when the stage's task was cancelled.
    private func finish(runID: Int64, sink: TrainerOutputSink, status: TrainerRunStatus, exitCode: Int?, output: String) async throws {
        let store = store
        try await Task {
            try await sink.flush()
            try await store.write { try $0.finishTrainerRun(id: runID, status: status, exitCode: exitCode, output: output) }
        }.value
    }

    private func outputURL(for job: TrainerJob) -> URL {
        job.output ?? workspace.root.appendingPathComponent("checkpoints/round-\(job.round)", isDirectory: true)
    }

    /// A configured folder: `~` expanded, relative to the workspace; `nil` is the workspace.
    private func resolve(_ path: String?) -> URL {
        guard let path, !path.isEmpty else { return workspace.root }
        let expanded = (path as NSString).expandingTildeInPath
        return expanded.hasPrefix("/") ? URL(fileURLWithPath: expanded) : workspace.root.appendingPathComponent(expanded)
    }

    private func isDirectory(_ url: URL) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) && isFolder.boolValue
    }
}
