import Foundation

public enum RelativeAge {
    /// "now", "5m", "3h", "2d", "4w", "5mo", "2y": never wider than 4 columns, for list columns.
    public static func short(_ date: Date, now: Date) -> String {
        let s = Int(now.timeIntervalSince(date))
        if s < 60 { return "now" }
        if s < 3600 { return "\(s / 60)m" }
        if s < 86400 { return "\(s / 3600)h" }
        if s < 86400 * 14 { return "\(s / 86400)d" }
        if s < 86400 * 70 { return "\(s / (86400 * 7))w" }
        if s < 86400 * 730 { return "\(s / (86400 * 30))mo" }
        return "\(min(99, s / (86400 * 365)))y"
    }

    /// "3 hours ago" style, for the reader.
    public static func long(_ date: Date, now: Date) -> String {
        let s = Int(now.timeIntervalSince(date))
        func unit(_ n: Int, _ w: String) -> String { "\(n) \(w)\(n == 1 ? "" : "s") ago" }
        if s < 60 { return "just now" }
        if s < 3600 { return unit(s / 60, "minute") }
        if s < 86400 { return unit(s / 3600, "hour") }
        if s < 86400 * 30 { return unit(s / 86400, "day") }
        return day(date)
    }

    /// "2026-11-26" (UTC), without Foundation's calendar (see `CivilTime`).
    public static func day(_ date: Date) -> String { CivilTime(date).dayText }

    /// ISO-8601 UTC to the second, as used in every JSON output.
    public static func iso(_ date: Date) -> String { CivilTime(date).isoText }

    /// Parses "2026-11-30", "2026-11-30T10:00:00Z", "+3d", "+12h", "tomorrow" (and past forms: `parse`).
    /// Years 1900 to 9999: a year past 9999 (`+500000w`) cannot be stored as the database's date text and
    /// could not be read back.
    public static func isStorable(_ date: Date) -> Bool {
        (-2_208_988_800.0...253_402_300_799.0).contains(date.timeIntervalSince1970)
    }

    /// A date something can be planned for: after `now`, within ten years.
    public static func isPlannable(_ date: Date, now: Date) -> Bool {
        date > now && date.timeIntervalSince(now) <= 10 * 366 * 86400
    }

    /// Which way a bare "30d" points: back for the start of a period (`--since`), ahead for a date to plan for.
    public enum Bare: Sendable { case ahead, back }

    /// Also "-30d", "yesterday", "last-week", "last-month" (30 days); a bare "30d" goes the `bare` way.
    public static func parse(_ text: String, now: Date, bare: Bare = .ahead) -> Date? {
        guard let d = parseUnchecked(text, now: now, bare: bare), isStorable(d) else { return nil }
        return d
    }

    private static func parseUnchecked(_ text: String, now: Date, bare: Bare) -> Date? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        switch t {
        case "tomorrow": return now.addingTimeInterval(86400)
        case "yesterday": return now.addingTimeInterval(-86400)
        case "last-week": return now.addingTimeInterval(-7 * 86400)
        case "last-month": return now.addingTimeInterval(-30 * 86400)
        default: break
        }
        var amount = Substring(t)
        var sign: Double = bare == .ahead ? 1 : -1
        if let first = amount.first, first == "+" || first == "-" {
            sign = first == "+" ? 1 : -1
            amount = amount.dropFirst()
        }
        if let unit = amount.last, unit.isLetter, let n = Int(amount.dropLast()), n >= 0, amount.first?.isNumber == true {
            let seconds: Double
            switch unit {
            case "m": seconds = 60
            case "h": seconds = 3600
            case "d": seconds = 86400
            case "w": seconds = 86400 * 7
            default: return nil
            }
            return now.addingTimeInterval(sign * Double(n) * seconds)
        }
        // "2026-11-30", "2026-11-30T10:00:00Z", "2026-11-30 10:00", with an optional offset.
        return CivilTime.parse(text.trimmingCharacters(in: .whitespaces))
    }
}
