import ArgumentParser
import Foundation
import TapirDashboard
import TapirStore
import TerminalUI

/// `tapir ui-bench` (hidden): dashboard frame timings on a large generated workspace —
/// time to first frame, median and worst frame while scrolling Samples and Hard queue, and
/// peak memory. No terminal needed: frames are rendered into cell buffers and diffed, as
/// the backend would flush them.
struct UIBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ui-bench", abstract: "Measure dashboard frame times on a large generated workspace.", shouldDisplay: false)

    @Option(help: "Instructions in the generated workspace.")
    var instructions = 100_000

    @Option(help: "Frames to time per screen.")
    var frames = 300

    @Option(help: "Terminal width.")
    var width = 120

    @Option(help: "Terminal height.")
    var height = 40

    func run() throws {
        let path = NSTemporaryDirectory() + "tapir-ui-bench-\(getpid()).sqlite"
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        let store = try WorkspaceStore(path: path)
        let seedStart = Date()
        try DemoWorkspaceSeeder.seed(store, instructions: instructions)
        print(String(format: "seeded %d instructions in %.1f s", instructions, Date().timeIntervalSince(seedStart)))

        let start = DispatchTime.now()
        let controller = DashboardController(store: store, workspaceName: "bench", state: DashboardState(),
                                             catalog: ThemeCatalog(directories: []), isEngineRunning: { true })
        controller.reload()
        var previous = controller.render(width: width, height: height)
        _ = previous.diff(from: nil)
        let firstFrame = milliseconds(since: start)
        print(String(format: "first frame (load + render): %.1f ms", firstFrame))

        for (key, name) in [("6", "Samples"), ("4", "Hard queue")] {
            _ = controller.handle(.key(Key(spec: key)!))
            var times: [Double] = []
            var cpu: [Double] = []
            var runs = 0
            for i in 0..<frames {
                let t = DispatchTime.now()
                let c = threadCPUMilliseconds()
                _ = controller.handle(.key(i % 50 == 49 ? .ctrl("d") : .char("j")))
                let frame = controller.render(width: width, height: height)
                runs += frame.diff(from: previous).count
                previous = frame
                times.append(milliseconds(since: t))
                cpu.append(threadCPUMilliseconds() - c)
            }
            times.sort()
            cpu.sort()
            print(String(format: "%@: %d frames, median %.2f ms, p95 %.2f ms, worst %.2f ms (%d changed runs)",
                         name, frames, times[times.count / 2], times[times.count * 95 / 100], times.last ?? 0, runs))
            // CPU time of this thread per frame: what the frame costs when the thread is not
            // preempted (on a loaded machine the wall-clock worst case includes waiting for a core).
            print(String(format: "%@ CPU per frame: median %.2f ms, p95 %.2f ms, worst %.2f ms",
                         name, cpu[cpu.count / 2], cpu[cpu.count * 95 / 100], cpu.last ?? 0))
        }
        // The Samples detail pane's query (one instruction's responses, judgements, lineage),
        // which a frame runs when the selection settles on a new row.
        var detailTimes: [Double] = []
        for i in 0..<50 {
            let id = Int64(1 + (i * 7919) % max(1, instructions))
            let t = DispatchTime.now()
            _ = try store.read { try DashboardLoader.detail($0, id: id) }
            detailTimes.append(milliseconds(since: t))
        }
        detailTimes.sort()
        print(String(format: "Samples detail load: median %.2f ms, worst %.2f ms (50 rows)",
                     detailTimes[detailTimes.count / 2], detailTimes.last ?? 0))
        let reloadStart = DispatchTime.now()
        controller.reload()
        print(String(format: "live reload (one tick): %.1f ms", milliseconds(since: reloadStart)))
        print("peak memory: \(peakMemory())")
    }

    private func milliseconds(since t: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - t.uptimeNanoseconds) / 1_000_000
    }

    private func threadCPUMilliseconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec) / 1_000_000
    }

    private func peakMemory() -> String {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return "unknown" }
        return status.split(separator: "\n").first { $0.hasPrefix("VmHWM") }.map { $0.split(separator: " ", maxSplits: 1).last.map(String.init) ?? "" }?
            .trimmingCharacters(in: .whitespaces) ?? "unknown"
    }
}
