import Foundation
import Testing
@testable import TapirDashboard

@Suite struct LogRingTests {
    func line(_ t: Double, _ message: String) -> LogsViewModel.Line {
        .init(time: Date(timeIntervalSince1970: t), level: .info, source: "llm", message: message)
    }

    @Test func keepsTheNewestLinesOldestFirst() {
        let ring = LogRing(capacity: 3)
        #expect(ring.snapshot().isEmpty)
        for i in 0..<5 { ring.append(line(Double(i), "m\(i)")) }
        #expect(ring.snapshot().map(\.message) == ["m2", "m3", "m4"])
        #expect(ring.count == 5)
    }

    @Test func mergesWithEngineEventsByTimeAndLimits() {
        let ring = LogRing(capacity: 10)
        ring.append(line(2, "ring-2"))
        ring.append(line(5, "ring-5"))
        let events = [line(1, "ev-1"), line(3, "ev-3"), line(5, "ev-5"), line(6, "ev-6")]
        #expect(ring.merged(with: events, limit: 100).map(\.message) == ["ev-1", "ring-2", "ev-3", "ev-5", "ring-5", "ev-6"])
        #expect(ring.merged(with: events, limit: 3).map(\.message) == ["ev-5", "ring-5", "ev-6"])
        #expect(LogRing().merged(with: events, limit: 100) == events)
    }

    @Test func appendsFromManyThreads() async {
        let ring = LogRing(capacity: 100)
        await withTaskGroup(of: Void.self) { group in
            for t in 0..<4 {
                group.addTask { for i in 0..<250 { ring.append(self.line(Double(i), "t\(t)")) } }
            }
        }
        #expect(ring.count == 1000)
        #expect(ring.snapshot().count == 100)
    }
}
