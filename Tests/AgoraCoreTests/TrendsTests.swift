import Foundation
import Testing
import AgoraCore

@Suite struct TrendsTests {
    @Test func tagsRiseAndFallAgainstThePreviousThirtyDays() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        func ago(_ days: Double) -> Date { now.addingTimeInterval(-days * 86400) }
        let tagged: [(tag: String, created: Date)] = [
            ("remote", ago(1)), ("remote", ago(5)), ("remote", ago(29)), ("remote", ago(40)),   // 3 vs 1: +2
            ("hiring", ago(31)), ("hiring", ago(45)), ("hiring", ago(59)), ("hiring", ago(2)),  // 1 vs 3: -2
            ("ai", ago(3)), ("ai", ago(4)), ("ai", ago(6)),                                        // 3 vs 0: +3
            ("data", ago(10)), ("data", ago(50)),                                                   // 1 vs 1: =
            ("old", ago(61)),                                                                       // outside both windows
            ("future", now.addingTimeInterval(3600)),                                               // not yet
        ]
        let t = Trends.compute(tagged, now: now)
        #expect(t.map(\.tag) == ["ai", "remote", "hiring", "data"])
        #expect(t.map(\.change) == [3, 2, -2, 0])
        #expect(t.map(\.arrow) == ["▲", "▲", "▼", "="])
        #expect(t[1].recent == 3 && t[1].previous == 1)
    }
}
