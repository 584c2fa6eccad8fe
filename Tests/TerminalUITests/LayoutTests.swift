import Testing
@testable import TerminalUI

@Suite struct LayoutTests {
    @Test func rowsWithFixedAndFill() {
        let r = Layout.rows(Rect(x: 0, y: 0, width: 80, height: 24), [.fixed(1), .fill(1), .fixed(1)])
        #expect(r.map(\.height) == [1, 22, 1])
        #expect(r.map(\.y) == [0, 1, 23])
    }

    @Test func columnsByWeightSpacingAndPercent() {
        let c = Layout.columns(Rect(x: 2, y: 0, width: 31, height: 5), [.fill(1), .fill(2)], spacing: 1)
        #expect(c.map(\.width) == [10, 20])
        #expect(c.map(\.x) == [2, 13])
        #expect(Layout.distribute(100, [.percent(25), .fill(1)]) == [25, 75])
    }

    @Test func fixedPartsShrinkWhenSpaceRunsOut() {
        #expect(Layout.distribute(5, [.fixed(3), .fixed(4), .fill(1)]) == [3, 2, 0])
    }

    @Test func paddingAndCentering() {
        let r = Rect(x: 0, y: 0, width: 20, height: 10)
        #expect(r.inset(Padding(horizontal: 2, vertical: 1)) == Rect(x: 2, y: 1, width: 16, height: 8))
        #expect(r.centered(width: 10, height: 4) == Rect(x: 5, y: 3, width: 10, height: 4))
    }
}
