import Foundation

/// One training-loss value read from a trainer's output.
public struct TrainerLossPoint: Sendable, Hashable {
    /// The trainer's step when it printed one, else `nil` (the runner numbers such points).
    public var step: Int?
    public var loss: Double
    public var epoch: Double?
    public var learningRate: Double?

    public init(step: Int?, loss: Double, epoch: Double? = nil, learningRate: Double? = nil) {
        self.step = step
        self.loss = loss
        self.epoch = epoch
        self.learningRate = learningRate
    }
}

/// Reads loss values from trainer log lines: JSON objects with a `loss` key (optionally
/// `step`, `epoch`, `learning_rate`), and the Python dict prints of Hugging Face trainers
/// (`{'loss': 1.23, 'grad_norm': 0.9, 'learning_rate': 5e-05, 'epoch': 0.5}`), also when
/// a logging prefix comes before the braces. Other lines (progress bars, `eval_loss`,
/// `train_loss` summaries) give nothing.
public enum TrainerLossParser {
    public static func parse(_ line: String) -> TrainerLossPoint? {
        guard line.contains("loss"), let open = line.firstIndex(of: "{"), let close = line.lastIndex(of: "}"), open < close
        else { return nil }
        let body = String(line[open...close])
        guard let object = jsonObject(body) ?? jsonObject(pythonDictToJSON(body)) else { return nil }
        guard let loss = number(object["loss"]), loss.isFinite else { return nil }
        let step = number(object["step"] ?? object["global_step"]).flatMap { $0 >= 0 && $0 < 1e15 ? Int($0) : nil }
        return TrainerLossPoint(step: step, loss: loss, epoch: number(object["epoch"]),
                                learningRate: number(object["learning_rate"] ?? object["lr"]))
    }

    private static func jsonObject(_ text: String) -> [String: Any]? {
        guard let data = text.data(using: .utf8) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    private static func number(_ value: Any?) -> Double? {
        switch value {
        // JSON booleans arrive as NSNumbers of type `c` (char); they are not numbers here.
        case let n as NSNumber: return String(cString: n.objCType) == "c" ? nil : n.doubleValue
        case let s as String: return Double(s.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }

    /// Rewrites a Python dict literal as JSON: single-quoted strings become double-quoted,
    /// `True`/`False`/`None` their JSON words, `nan`/`inf` strings (so they parse, then fail
    /// the finiteness check).
    static func pythonDictToJSON(_ text: String) -> String {
        var out = ""
        var inString: Character?
        var word = ""
        func flushWord() {
            switch word {
            case "True": out += "true"
            case "False": out += "false"
            case "None": out += "null"
            case "nan", "inf", "-inf": out += "\"\(word)\""
            default: out += word
            }
            word = ""
        }
        var escape = false
        for c in text {
            if let quote = inString {
                if escape { out.append(c); escape = false; continue }
                if c == "\\" { out.append(c); escape = true; continue }
                if c == quote { out.append("\""); inString = nil; continue }
                if c == "\"" { out += "\\\"" } else { out.append(c) }
                continue
            }
            if c.isLetter || c == "_" || (c == "-" && word.isEmpty) || (c.isNumber && !word.isEmpty && word.first!.isLetter) {
                word.append(c)
                continue
            }
            flushWord()
            if c == "'" || c == "\"" { inString = c; out.append("\""); continue }
            out.append(c)
        }
        flushWord()
        return out
    }
}
