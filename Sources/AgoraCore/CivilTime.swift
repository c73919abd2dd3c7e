import Foundation

/// A UTC calendar date and time by plain arithmetic (Howard Hinnant's days-from-civil and civil-from-days).
///
/// Foundation's `DateFormatter`, `Calendar` and `ISO8601DateFormatter` load ICU's data into the process
/// (~6 MB resident, measured with /proc/self/smaps), and every TUI session reads and writes dates; this does
/// the same for the proleptic Gregorian calendar in UTC, which is all Agora stores or prints.
public struct CivilTime: Equatable, Sendable {
    public var year: Int, month: Int, day: Int
    public var hour: Int, minute: Int, second: Int, millisecond: Int

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, millisecond: Int = 0) {
        (self.year, self.month, self.day) = (year, month, day)
        (self.hour, self.minute, self.second, self.millisecond) = (hour, minute, second, millisecond)
    }

    /// The UTC fields of `date`, rounded to the nearest millisecond (as `DateFormatter`'s "SSS" does). A date before
    /// year 0 or after 9999 is taken as the nearest end of those years, NaN as the first: every `Date` a client sends
    /// the daemon can reach this (`Date.stored`, the follow-up date in an error message), and NaN or 1e300 seconds
    /// trapped converting to milliseconds, which stopped the daemon (found by Fuzz/FuzzDate).
    public init(_ date: Date) {
        let exact = (date.timeIntervalSince1970 * 1000).rounded()
        let totalMs = exact.isNaN ? Self.firstMs : Int64(min(max(exact, Double(Self.firstMs)), Double(Self.lastMs)))
        let msPerDay: Int64 = 86_400_000
        var days = totalMs / msPerDay
        var rest = totalMs % msPerDay
        if rest < 0 { rest += msPerDay; days -= 1 }
        let z = Int(days) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let ms = Int(rest)
        self.init(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d,
                  hour: ms / 3_600_000, minute: ms / 60_000 % 60, second: ms / 1000 % 60, millisecond: ms % 1000)
    }

    /// The moment, or nil when a field is out of range (month 13, February 30, hour 24...).
    public var date: Date? {
        guard (1...12).contains(month), (1...Self.daysIn(month, of: year)).contains(day),
              (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second), (0...999).contains(millisecond)
        else { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        let seconds = days * 86400 + hour * 3600 + minute * 60 + second
        return Date(timeIntervalSince1970: Double(seconds) + Double(millisecond) / 1000)
    }

    /// 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the years four digits can say, in ms since 1970.
    static let firstMs: Int64 = -62_167_219_200_000, lastMs: Int64 = 253_402_300_799_999

    static func daysIn(_ month: Int, of year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// "2026-11-26"
    public var dayText: String { "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))" }

    /// "2026-11-26 09:05:00.250": how dates are stored in the database (GRDB's format for `Date`, so files
    /// written by either read the same, and text order is time order).
    public var storedText: String {
        "\(dayText) \(Self.pad(hour, 2)):\(Self.pad(minute, 2)):\(Self.pad(second, 2)).\(Self.pad(millisecond, 3))"
    }

    /// "2026-11-26T09:05:00Z": ISO-8601 in UTC, to the second.
    public var isoText: String {
        "\(dayText)T\(Self.pad(hour, 2)):\(Self.pad(minute, 2)):\(Self.pad(second, 2))Z"
    }

    static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.utf8.count >= width ? s : String(repeating: "0", count: width - s.utf8.count) + s
    }

    /// Reads the date forms SQLite and ISO-8601 use: "YYYY-MM-DD", then optionally " HH:MM", ":SS", ".fraction"
    /// ("T" instead of the space is accepted), then optionally "Z" or "+HH:MM"/"-HH:MM". Nil for anything else.
    public static func parse(_ text: some StringProtocol) -> Date? {
        var s = String(text)
        return s.withUTF8 { parse(bytes: $0) }
    }

    /// As `parse`, over UTF-8 bytes (no copy: a thread's dates are read thousands at a time).
    public static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        var p = Scanner(bytes: bytes)
        guard let year = p.number(4), p.take(UInt8(ascii: "-")), let month = p.number(2),
              p.take(UInt8(ascii: "-")), let day = p.number(2) else { return nil }
        var t = CivilTime(year: year, month: month, day: day)
        var offset = 0
        if p.take(UInt8(ascii: " ")) || p.take(UInt8(ascii: "T")) {
            guard let h = p.number(2), p.take(UInt8(ascii: ":")), let m = p.number(2) else { return nil }
            (t.hour, t.minute) = (h, m)
            if p.take(UInt8(ascii: ":")) {
                guard let s = p.number(2) else { return nil }
                t.second = s
                if p.take(UInt8(ascii: ".")) {
                    let (ms, digits) = p.milliseconds()
                    guard digits > 0 else { return nil }
                    t.millisecond = ms
                }
            }
            if p.take(UInt8(ascii: "Z")) {
            } else if let sign = p.peek, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                p.index += 1
                guard let oh = p.number(2), p.take(UInt8(ascii: ":")), let om = p.number(2), oh < 24, om < 60 else { return nil }
                offset = (oh * 3600 + om * 60) * (sign == UInt8(ascii: "+") ? 1 : -1)
            }
        }
        guard p.atEnd, let date = t.date else { return nil }
        return date.addingTimeInterval(Double(-offset))
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        var atEnd: Bool { index == bytes.count }
        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }
        mutating func take(_ b: UInt8) -> Bool {
            guard peek == b else { return false }
            index += 1
            return true
        }
        /// Exactly `count` decimal digits.
        mutating func number(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var n = 0
            for i in index..<index + count {
                let b = bytes[i]
                guard b >= 48, b <= 57 else { return nil }
                n = n * 10 + Int(b - 48)
            }
            index += count
            return n
        }
        /// A decimal fraction's digits as milliseconds (the first three, truncated), and how many digits there were.
        mutating func milliseconds() -> (Int, Int) {
            var ms = 0, count = 0
            while let b = peek, b >= 48, b <= 57 {
                if count < 3 { ms = ms * 10 + Int(b - 48) }
                count += 1
                index += 1
            }
            for _ in 0..<max(0, 3 - count) { ms *= 10 }
            return (ms, count)
        }
    }
}
