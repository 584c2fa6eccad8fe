import Foundation

/// Incremental parser of a `text/event-stream` body: yields the `data` of each event
/// (multi-line data joined with newlines), ignoring comments and other fields.
public struct ServerSentEventParser: Sendable {
    private var pending = Data()
    private var dataLines: [String] = []

    public init() {}

    /// Feeds the next bytes; returns the events they completed.
    public mutating func feed(_ bytes: Data) -> [String] {
        pending.append(bytes)
        var events: [String] = []
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            var lineData = pending[pending.startIndex..<newline]
            if lineData.last == UInt8(ascii: "\r") { lineData = lineData.dropLast() }
            pending.removeSubrange(pending.startIndex...newline)
            handle(String(decoding: lineData, as: UTF8.self), into: &events)
        }
        return events
    }

    /// Ends the stream; returns an event left without its terminating blank line.
    public mutating func finish() -> [String] {
        var events: [String] = []
        if !pending.isEmpty {
            handle(String(decoding: pending, as: UTF8.self), into: &events)
            pending.removeAll()
        }
        handle("", into: &events)
        return events
    }

    private mutating func handle(_ line: String, into events: inout [String]) {
        if line.isEmpty {
            if !dataLines.isEmpty { events.append(dataLines.joined(separator: "\n")) }
            dataLines.removeAll()
        } else if line.hasPrefix("data:") {
            var value = line.dropFirst(5)
            if value.first == " " { value = value.dropFirst() }
            dataLines.append(String(value))
        }
    }
}
