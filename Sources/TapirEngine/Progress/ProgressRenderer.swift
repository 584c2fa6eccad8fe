import Foundation
import TapirCore
import TapirStore

/// Turns a `RunProgressInput` into the lines of `tapir run`'s live view: a header with the
/// round, elapsed time and cost so far, then one line per stage of the round with a bar,
/// done/total, rate, ETA and the stage's cost. Pure: same input, same lines.
///
/// Lines never exceed `width` display columns; with `color` the bars carry SGR colours
/// (off under `NO_COLOR`). Only the engine's own words are printed here (stage names,
/// numbers), so there is no untrusted text to neutralise.
public struct ProgressRenderer: Sendable {
    public var width: Int
    public var color: Bool

    public init(width: Int = 80, color: Bool = true) {
        self.width = max(40, width)
        self.color = color
    }

    public func lines(_ input: RunProgressInput) -> [String] {
        let stageCost = Dictionary(
            input.ledger.filter { $0.round == input.round?.number }.compactMap { row in row.stage.map { ($0, row.cost) } },
            uniquingKeysWith: +)
        let total = input.ledger.reduce(0) { $0 + $1.cost }
        let roundCost = stageCost.values.reduce(0, +)
        var header = "tapir run"
        if let round = input.round {
            header += " · round \(round.number)/\(max(input.plannedRounds, round.number))"
        }
        header += " · " + Self.duration(input.now.timeIntervalSince(input.runStartedAt)) + " elapsed"
        header += " · cost " + Self.dollars(total)
        if input.round != nil { header += " (round " + Self.dollars(roundCost) + ")" }
        var lines = [clip(header)]
        guard let round = input.round else { return lines }
        let rows = Dictionary(input.progress.map { ($0.stage, $0) }, uniquingKeysWith: { a, _ in a })
        for stage in Stage.allCases {
            lines.append(line(stage, state: state(of: stage, in: round), row: rows[stage],
                              baseline: input.baselines[stage], cost: stageCost[stage] ?? 0, now: input.now))
        }
        return lines
    }

    /// Where a stage stands in its round.
    public enum StageStatus: Sendable, Hashable {
        case pending, running, done, failed
    }

    func state(of stage: Stage, in round: RoundRecord) -> StageStatus {
        if round.finishedAt != nil { return .done }
        guard let current = round.stage else { return .pending }
        if stage < current { return .done }
        if stage > current { return .pending }
        switch round.stageState {
        case .done: return .done
        case .running: return .running
        case .failed: return .failed
        default: return .pending
        }
    }

    private static let nameWidth = 9
    // Columns right of the bar: " 10000/10000 100%  1234.5/s  ETA 12:34  $12.3456"
    private static let tailWidth = 46

    func line(_ stage: Stage, state: StageStatus, row: StageProgressRecord?, baseline: RunProgressInput.Baseline?,
              cost: Double, now: Date) -> String {
        let (mark, tint): (String, String) = switch state {
        case .pending: ("·", "2")
        case .running: ("▸", "36")
        case .done: ("✓", "32")
        case .failed: ("✗", "31")
        }
        let name = stage.rawValue.padding(toLength: Self.nameWidth, withPad: " ", startingAt: 0)
        let barWidth = max(10, min(40, width - 2 - Self.nameWidth - 1 - Self.tailWidth))
        guard let row, row.total > 0 else {
            let note = switch state {
            case .pending: "waiting"
            case .running: "working…"
            case .done: "done" + (cost > 0 ? "  " + Self.dollars(cost) : "")
            case .failed: "failed"
            }
            return clip(paint(mark, tint) + " " + name + " " + paint(note, state == .pending ? "2" : ""))
        }
        let fraction = min(1, max(0, Double(row.done) / Double(row.total)))
        let filled = state == .done ? barWidth : Int((fraction * Double(barWidth)).rounded(.down))
        let bar = paint(String(repeating: "█", count: filled), tint) + paint(String(repeating: "░", count: barWidth - filled), "2")
        var tail = " \(row.done)/\(row.total) " + String(format: "%3.0f%%", fraction * 100)
        let rate = Self.rate(row: row, baseline: baseline, now: now, finished: state == .done)
        if let rate { tail += "  " + Self.rateText(rate) }
        if state == .running, let rate, rate > 0, row.total > row.done {
            tail += "  ETA " + Self.duration(Double(row.total - row.done) / rate)
        } else if state == .done {
            tail += "  took " + Self.duration(row.updatedAt.timeIntervalSince(row.startedAt))
        }
        tail += "  " + Self.dollars(cost)
        return clip(paint(mark, tint) + " " + name + " " + bar + tail)
    }

    /// Items per second: since this run first saw the stage when it has moved since, else
    /// over the progress row's own span.
    static func rate(row: StageProgressRecord, baseline: RunProgressInput.Baseline?, now: Date, finished: Bool) -> Double? {
        if let baseline, row.done > baseline.done {
            let end = finished ? max(row.updatedAt, baseline.at) : now
            let span = end.timeIntervalSince(baseline.at)
            if span > 0 { return Double(row.done - baseline.done) / span }
        }
        let span = row.updatedAt.timeIntervalSince(row.startedAt)
        guard row.done > 0, span > 0 else { return nil }
        return Double(row.done) / span
    }

    static func rateText(_ rate: Double) -> String {
        rate >= 100 ? String(format: "%.0f/s", rate) : rate >= 1 ? String(format: "%.1f/s", rate) : String(format: "%.0f/min", rate * 60)
    }

    static func dollars(_ value: Double) -> String { String(format: "$%.4f", value) }

    /// `m:ss`, or `h:mm:ss` from an hour on.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "–" }
        let total = Int(seconds.rounded())
        let (h, m, s) = (total / 3600, total / 60 % 60, total % 60)
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, s) : String(format: "%d:%02d", m, s)
    }

    private func paint(_ text: String, _ sgr: String) -> String {
        guard color, !sgr.isEmpty, !text.isEmpty else { return text }
        return "\u{1B}[\(sgr)m\(text)\u{1B}[0m"
    }

    /// Cuts a line to `width` visible columns (escape sequences take none; every other
    /// character here is one column wide).
    private func clip(_ line: String) -> String {
        var visible = 0
        var out = ""
        var inEscape = false
        for character in line {
            if character == "\u{1B}" { inEscape = true }
            if inEscape {
                out.append(character)
                if character.isLetter { inEscape = false }
                continue
            }
            guard visible < width else { continue }
            out.append(character)
            visible += 1
        }
        return out
    }
}

/// How `tapir run` reports progress.
public enum ProgressOutputMode: String, Sendable, Hashable, CaseIterable {
    /// Bars redrawn in place (a terminal).
    case bars
    /// One line per engine event (a pipe, a file, a dumb terminal).
    case lines

    /// Bars on a terminal whose `TERM` can move the cursor, lines otherwise.
    public static func automatic(stdoutIsTerminal: Bool, environment: [String: String]) -> ProgressOutputMode {
        guard stdoutIsTerminal else { return .lines }
        let term = environment["TERM"] ?? ""
        return term.isEmpty || term == "dumb" ? .lines : .bars
    }

    /// Colour unless `NO_COLOR` is set to anything non-empty (https://no-color.org).
    public static func useColor(environment: [String: String]) -> Bool {
        (environment["NO_COLOR"] ?? "").isEmpty
    }
}
