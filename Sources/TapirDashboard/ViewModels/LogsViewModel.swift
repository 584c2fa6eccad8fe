import Foundation

/// Engine events and trainer output, oldest first.
public struct LogsViewModel: Sendable, Equatable {
    public enum Level: Int, CaseIterable, Sendable, Comparable {
        case debug, info, warning, error
        public var label: String { ["debug", "info", "warn", "error"][rawValue] }
        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
    }

    public struct Line: Sendable, Equatable {
        public var time: Date
        public var level: Level
        public var source: String
        public var message: String

        public init(time: Date, level: Level, source: String, message: String) {
            self.time = time
            self.level = level
            self.source = source
            self.message = message
        }
    }

    public var lines: [Line]

    public init(lines: [Line] = []) { self.lines = lines }
}
