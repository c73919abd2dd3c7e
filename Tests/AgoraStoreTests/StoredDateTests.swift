import Foundation
import Testing
import AgoraCore
@testable import AgoraStore
import GRDB

/// Dates are written and read by `CivilTime` instead of GRDB's `DateFormatter`: a database written by
/// either must read the same, and text order must stay time order (the queue compares dates as text).
@Suite struct StoredDateTests {
    static let moments: [Double] = [0, -1, -86_400.5, 951_782_400, 951_868_799.999, 1_764_145_500.25, 1_798_761_599.999,
                                    -2_208_988_800, 253_402_300_799, 1_000_000_000.0004, 1_000_000_000.0006, -0.0006, 4_102_444_800, 1_709_164_800]

    @Test func storedTextIsGRDBsTextForTheSameMoment() {
        for t in Self.moments {
            let date = Date(timeIntervalSince1970: t)
            #expect(date.stored == String.fromDatabaseValue(date.databaseValue), "at \(t)")
        }
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let date = Date(timeIntervalSince1970: Double(Int64.random(in: -2_208_988_800_000...253_402_300_799_000, using: &rng)) / 1000)
            #expect(date.stored == String.fromDatabaseValue(date.databaseValue), "at \(date.timeIntervalSince1970)")
        }
    }

    @Test func storedTextReadsBackToTheMillisecondAndAsGRDBReadsIt() throws {
        for t in Self.moments {
            let text = Date(timeIntervalSince1970: t).stored
            let ours = try #require(CivilTime.parse(text))
            let theirs = try #require(Date.fromDatabaseValue(text.databaseValue))
            #expect(abs(ours.timeIntervalSince(theirs)) < 0.000_001, "\(text)")
            #expect(abs(ours.timeIntervalSince1970 - t) < 0.001, "\(text)")
        }
    }

    @Test func sqliteDateFormsAreRead() throws {
        let cases: [(String, Double)] = [
            ("2026-11-26", 1_795_651_200), ("2026-11-26 09:05", 1_795_683_900), ("2026-11-26T09:05:07", 1_795_683_907),
            ("2026-11-26 09:05:07.5", 1_795_683_907.5), ("2026-11-26T09:05:07Z", 1_795_683_907),
            ("2026-11-26T10:05:07+01:00", 1_795_683_907), ("2024-02-29 00:00:00.000", 1_709_164_800),
        ]
        for (text, t) in cases {
            #expect(CivilTime.parse(text)?.timeIntervalSince1970 == t, "\(text)")
        }
        for bad in ["", "2026", "2026-13-01", "2025-02-29", "2026-11-26 24:00", "2026-11-26 9:05", "26-11-2026", "2026-11-26x",
                    "2026-11-26 09:05:07.", "2026-11-26T09:05:07+1:00"] {
            #expect(CivilTime.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func anUnreadableDateIsAnErrorNotACrash() throws {
        let db = try SQLiteStore.inMemory()
        _ = try StoreGiven(db)
        try db.post(kind: .idea, title: "Pairing", body: "Try it", by: "ana", now: StoreGiven.t0)
        #expect(try db.topics().first?.topic.created == StoreGiven.t0)
        try db.write { try $0.execute(sql: "UPDATE topic SET created = 'yesterday'") }
        #expect(throws: AgoraError.self) { try db.topics() }
    }
}
