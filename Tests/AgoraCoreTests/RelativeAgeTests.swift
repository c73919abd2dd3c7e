import Foundation
import Testing
@testable import AgoraCore

@Suite struct RelativeAgeTests {
    /// 2026-11-26T10:00:00Z
    let now = Date(timeIntervalSince1970: 1_795_687_200)

    func ago(_ s: Double) -> Date { now.addingTimeInterval(-s) }

    @Test func shortAgesForListColumns() {
        #expect(RelativeAge.short(ago(30), now: now) == "now")
        #expect(RelativeAge.short(ago(-300), now: now) == "now")   // a clock a little ahead
        #expect(RelativeAge.short(ago(5 * 60), now: now) == "5m")
        #expect(RelativeAge.short(ago(3 * 3600 + 59), now: now) == "3h")
        #expect(RelativeAge.short(ago(2 * 86400), now: now) == "2d")
        #expect(RelativeAge.short(ago(13 * 86400), now: now) == "13d")
        #expect(RelativeAge.short(ago(28 * 86400), now: now) == "4w")
        #expect(RelativeAge.short(ago(69 * 86400), now: now) == "9w")
        #expect(RelativeAge.short(ago(200 * 86400), now: now) == "6mo")
        #expect(RelativeAge.short(ago(800 * 86400), now: now) == "2y")
        #expect(RelativeAge.short(ago(365 * 86400 * 500), now: now) == "99y")   // never wider than a list column
    }

    @Test func longAgesForTheReader() {
        #expect(RelativeAge.long(ago(10), now: now) == "just now")
        #expect(RelativeAge.long(ago(60), now: now) == "1 minute ago")
        #expect(RelativeAge.long(ago(2 * 3600), now: now) == "2 hours ago")
        #expect(RelativeAge.long(ago(86400), now: now) == "1 day ago")
        #expect(RelativeAge.long(ago(40 * 86400), now: now) == "2026-10-17")
    }

    @Test func isoIsUTC() {
        #expect(RelativeAge.iso(now) == "2026-11-26T10:00:00Z")
    }

    @Test func parsesDatesAndOffsets() {
        #expect(RelativeAge.parse("2026-11-26T10:00:00Z", now: .distantPast) == now)
        #expect(RelativeAge.parse("2026-11-26", now: .distantPast) == ago(10 * 3600))
        #expect(RelativeAge.parse("+3d", now: now) == now.addingTimeInterval(3 * 86400))
        #expect(RelativeAge.parse("+12h", now: now) == now.addingTimeInterval(12 * 3600))
        #expect(RelativeAge.parse("+2w", now: now) == now.addingTimeInterval(14 * 86400))
        #expect(RelativeAge.parse(" Tomorrow ", now: now) == now.addingTimeInterval(86400))
        #expect(RelativeAge.parse("+3y", now: now) == nil)
        #expect(RelativeAge.parse("soon", now: now) == nil)
        #expect(RelativeAge.parse("+-3d", now: now) == nil)
    }

    /// The start of a period: "-30d", and a bare "30d" when the option looks back (`report --since`).
    @Test func parsesPastOffsets() {
        #expect(RelativeAge.parse("-30d", now: now) == ago(30 * 86400))
        #expect(RelativeAge.parse("30d", now: now, bare: .back) == ago(30 * 86400))
        #expect(RelativeAge.parse("30d", now: now) == now.addingTimeInterval(30 * 86400))
        #expect(RelativeAge.parse("+30d", now: now, bare: .back) == now.addingTimeInterval(30 * 86400))
        #expect(RelativeAge.parse("yesterday", now: now) == ago(86400))
        #expect(RelativeAge.parse("Last-Week", now: now) == ago(7 * 86400))
        #expect(RelativeAge.parse("last-month", now: now) == ago(30 * 86400))
        #expect(RelativeAge.parse("-d", now: now) == nil)
        #expect(RelativeAge.parse("--3d", now: now) == nil)
        #expect(RelativeAge.parse("d3", now: now) == nil)
    }
}

@Suite struct CalendarDayTests {
    /// `RelativeAge.day` does its own date arithmetic; it must agree with the Gregorian calendar everywhere.
    @Test func dayAgreesWithTheCalendarAcrossCenturiesAndLeapDays() {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        var t = -2_208_988_800.0   // 1900-01-01
        while t < 4_102_444_800 {  // 2100-01-01
            let d = Date(timeIntervalSince1970: t)
            let c = cal.dateComponents([.year, .month, .day], from: d)
            let expected = String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
            #expect(RelativeAge.day(d) == expected)
            t += 86400 * 13 + 3607   // every 13 days, drifting through the hours
        }
        #expect(RelativeAge.day(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29")
    }
}

@Suite struct CivilTimeFuzzRegressionTests {
    /// Found by Fuzz/FuzzDate: `CivilTime(date)` trapped on a NaN, an infinity or a date past Int64 milliseconds, and
    /// every `Date` a client sends the daemon reaches it (a draft's `saved`, a follow-up date in an error message).
    /// Now such a date is written as the nearest end of years 0 to 9999.
    @Test func aDateNoYearCanSayIsWrittenAsTheNearestEndNotATrap() {
        let fuzzed = Date(timeIntervalSince1970: Double(bitPattern: 0xFFFF_FFFF_FFFF_102D))   // the fuzzer's input: a NaN
        #expect(CivilTime(fuzzed).storedText == "0000-01-01 00:00:00.000")
        #expect(CivilTime(Date(timeIntervalSince1970: .infinity)).storedText == "9999-12-31 23:59:59.999")
        #expect(CivilTime(Date(timeIntervalSince1970: -.infinity)).isoText == "0000-01-01T00:00:00Z")
        #expect(CivilTime(Date(timeIntervalSince1970: 1e300)).dayText == "9999-12-31")
        #expect(RelativeAge.day(Date(timeIntervalSince1970: .nan)) == "0000-01-01")
        // Years 0 to 9999 are written as before.
        #expect(CivilTime(Date(timeIntervalSince1970: -62_167_219_200)).storedText == "0000-01-01 00:00:00.000")
        #expect(CivilTime(Date(timeIntervalSince1970: 253_402_300_799.999)).storedText == "9999-12-31 23:59:59.999")
    }
}
