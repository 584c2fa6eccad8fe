import Foundation
import TapirCore
import TapirStore

/// The content of a workspace that a run decides, as sorted text lines, for comparing two
/// runs: instructions, responses, judgements, difficulties, selections, categories,
/// expansions and their states, rounds and their metrics, compositions, evaluations, trainer
/// runs with their loss series (except failed ones), and the exported files. Row ids, timestamps, latencies and
/// token counts are left out, records are keyed by instruction text, and the workspace path
/// and server address are replaced by placeholders (two runs use different ones).
enum DatabaseSnapshot {
    static func lines(of workspace: Workspace, serverURL: String) throws -> [String] {
        let store = try workspace.openStore()
        func clean(_ text: String) -> String {
            text.replacingOccurrences(of: workspace.root.path, with: "<ws>")
                .replacingOccurrences(of: serverURL, with: "<server>")
        }
        func number(_ value: Double?) -> String { value.map { String($0) } ?? "-" }
        var lines: [String] = []
        try store.read { reader in
            let all = try reader.instructions(InstructionFilter())
            let text = Dictionary(uniqueKeysWithValues: all.map { ($0.id!, $0.text) })
            func name(_ id: Int64?) -> String { id.map { text[$0] ?? "#missing \($0)" } ?? "-" }
            for i in all {
                lines.append("instruction|\(i.text)|\(i.input)|\(i.source)|parent=\(name(i.parentID))|\(i.category ?? "-")|"
                             + "\(i.categorySource.map { "\($0)" } ?? "-")|\(i.split)|\(i.state)|created \(i.createdRound)")
                for r in try reader.responses(instructionID: i.id!) {
                    var origin = r.origin ?? "-"
                    if origin.hasPrefix("refine:"), let id = Int64(origin.dropFirst("refine:".count)) {
                        let source = try reader.response(id: id)
                        origin = "refine:\(source.map { "\($0.role) r\($0.round)" } ?? "?")"
                    }
                    lines.append("response|\(i.text)|\(r.role)|r\(r.round)|\(clean(r.model))|\(origin)|\(r.text)")
                }
                for j in try reader.judgements(instructionID: i.id!) {
                    lines.append("judgement|\(i.text)|r\(j.round)|\(number(j.teacherScoreAB)) \(number(j.studentScoreAB)) "
                                 + "\(number(j.teacherScoreBA)) \(number(j.studentScoreBA))|mfd \(number(j.mfd))|\(j.status)|"
                                 + "\(j.error ?? "-")|\(clean(j.judgeModel))|\(j.rationale ?? "-")")
                }
                for d in try reader.difficulties(instructionID: i.id!) {
                    lines.append("difficulty|\(i.text)|r\(d.round)|\(d.kind)|\(d.value)")
                }
                for s in try reader.selections(instructionID: i.id!) {
                    lines.append("selection|\(i.text)|r\(s.round)|hard \(s.hard)|\(s.value)|δ \(s.delta)")
                }
                if let e = try reader.expansion(instructionID: i.id!) {
                    lines.append("expansion|\(i.text)|parent=\(name(e.parentID))|r\(e.round)|\(e.state)|\(e.originalText)|"
                                 + "\(number(e.similarity))|near=\(e.nearestIDs.map { name($0) }.sorted())|\(e.reviewerNote ?? "-")")
                }
            }
            for round in try reader.rounds() {
                let metrics = round.metrics.filter { !["train_seconds", "trainer_run_id"].contains($0.key) }
                    .sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
                lines.append("round|\(round.number)|α \(round.alpha)|δ \(round.delta)|\(round.stage.map { "\($0)" } ?? "-")|"
                             + "\(round.stageState)|finished \(round.finishedAt != nil)|win \(number(round.winRate))|\(metrics)")
                for c in try reader.composition(round: round.number) {
                    let response = try reader.response(id: c.responseID)
                    lines.append("composition|r\(c.round)|#\(c.position)|\(name(c.instructionID))|rep \(c.repeatIndex)|hard \(c.hard)|"
                                 + "\(response.map { "\($0.role) r\($0.round)" } ?? "?")")
                }
                for e in try reader.evaluations(round: round.number) {
                    lines.append("evaluation|r\(e.round)|\(name(e.instructionID))|\(e.verdict)|\(e.category ?? "-")|"
                                 + "\(number(e.studentScore)) \(number(e.referenceScore))")
                }
                // Runs an interrupted engine left behind are recorded as failed: history, not content.
                for run in try reader.trainerRuns(round: round.number) where run.status != .failed {
                    let loss = try reader.loss(runID: run.id!).map { "\($0.step):\($0.loss)" }.joined(separator: ",")
                    lines.append("trainer|r\(run.round)|\(run.status)|exit \(run.exitCode.map(String.init) ?? "-")|"
                                 + "\(clean(run.output ?? "-"))|\(clean(run.command))|\(loss)")
                }
            }
        }
        let exports = workspace.exportsURL
        if let folders = try? FileManager.default.contentsOfDirectory(atPath: exports.path) {
            for folder in folders.sorted() {
                let files = (try? FileManager.default.contentsOfDirectory(atPath: exports.appendingPathComponent(folder).path)) ?? []
                for file in files.sorted() {
                    let content = try String(contentsOf: exports.appendingPathComponent(folder).appendingPathComponent(file), encoding: .utf8)
                    lines.append("export|\(folder)/\(file)|\(clean(content))")
                }
            }
        }
        return lines.sorted()
    }

    /// The first lines in which `a` and `b` differ, for a failure message.
    static func difference(_ a: [String], _ b: [String], limit: Int = 12) -> String {
        let onlyA = a.filter { !Set(b).contains($0) }, onlyB = b.filter { !Set(a).contains($0) }
        return "only in the uninterrupted run:\n" + onlyA.prefix(limit).joined(separator: "\n")
            + "\nonly in the interrupted run:\n" + onlyB.prefix(limit).joined(separator: "\n")
    }
}
