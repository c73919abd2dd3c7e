import AgoraCore
import Foundation
import FuzzSupport

// Dates: `RelativeAge.parse` (what `--until`, `--follow-up` and friends take), `CivilTime.parse` (every date the store
// reads back) and `CivilTime`'s text (every date the store writes: `Date.stored` is `CivilTime(date).storedText`).
//
// Input: one byte of choices, then either text to parse or eight bytes of a `Double` (seconds since 1970: any `Date`
// a client sends the daemon, NaN and infinities included, is written through `CivilTime`).
//
// Invariants: nothing crashes; `CivilTime.parse` reads a string and its UTF-8 bytes alike; `RelativeAge.parse` gives
// only storable dates (years 1900 to 9999), "+N" forms exactly N units after `now`; any date in years 0 to 9999 reads
// back from `CivilTime`'s stored text to the millisecond, from its ISO text to the second and from its day text to the
// day; any other date (NaN, infinities) is written as the nearest end of those years.

private let now = Date(timeIntervalSince1970: 1_795_651_200)   // 2026-11-26T00:00:00Z

/// `main` (SwiftPM links it as `FuzzDate_main` on Linux): libFuzzer's driver over `fuzzDate`.
@_cdecl("FuzzDate_main")
public func fuzzDateMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    Fuzz.run(argc, argv, fuzzDate)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDate(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(UnsafeBufferPointer(start: data, count: size))
    let choice = input.byte()
    let rest = input.rest
    if choice & 1 == 1 {
        var bits: UInt64 = 0
        for (i, b) in rest.prefix(8).enumerated() { bits |= UInt64(b) << (8 * UInt64(i)) }
        let seconds = Double(bitPattern: bits)
        checkWritten(Date(timeIntervalSince1970: seconds), what: "\(seconds) s since 1970")
        return 0
    }

    let fromBytes = CivilTime.parse(bytes: rest)
    guard let text = Fuzz.text(rest) else { return 0 }
    let parsed = CivilTime.parse(text)
    Fuzz.check(parsed == fromBytes, "CivilTime.parse(\(text.debugDescription)) is \(String(describing: parsed)), from its bytes \(String(describing: fromBytes))")
    if let parsed { checkWritten(parsed, what: text.debugDescription) }

    if let relative = RelativeAge.parse(text, now: now) {
        Fuzz.check(RelativeAge.isStorable(relative), "RelativeAge.parse(\(text.debugDescription)) is \(relative), not storable")
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t.hasPrefix("+"), let n = Double(t.dropFirst().dropLast()) {
            let unit: Double = ["m": 60, "h": 3600, "d": 86400, "w": 604_800][t.last.map(String.init) ?? ""] ?? .nan
            Fuzz.check(relative.timeIntervalSince(now) == n * unit, "RelativeAge.parse(\(text.debugDescription)) is \(relative.timeIntervalSince(now)) s after now")
        }
        checkWritten(relative, what: text.debugDescription)
        _ = RelativeAge.short(now, now: relative)
        _ = RelativeAge.long(now, now: relative)
    }
    return 0
}

private func checkWritten(_ date: Date, what: String) {
    let civil = CivilTime(date)   // must not trap, whatever the date
    let stored = civil.storedText, iso = civil.isoText, day = civil.dayText
    _ = RelativeAge.day(date)
    _ = RelativeAge.iso(date)
    // Outside years 0 to 9999 (NaN too) it writes the nearest end of them (four digits are what the parser reads).
    let rounded = (date.timeIntervalSince1970 * 1000).rounded()
    guard rounded >= -62_167_219_200_000, rounded <= 253_402_300_799_999 else {
        let end = rounded > 0 ? CivilTime(year: 9999, month: 12, day: 31, hour: 23, minute: 59, second: 59, millisecond: 999)
                              : CivilTime(year: 0, month: 1, day: 1)
        Fuzz.check(civil == end, "\(what): out of range, written as \(stored), not the nearest end \(end.storedText)")
        return
    }
    // To the millisecond, as written.
    let ms = rounded / 1000
    guard let back = CivilTime.parse(stored) else { Fuzz.fail("\(what): its stored text \(stored) does not parse") }
    Fuzz.check(abs(back.timeIntervalSince1970 - ms) < 0.000_5, "\(what): stored as \(stored), read back as \(back.timeIntervalSince1970), not \(ms)")
    Fuzz.check(CivilTime(back) == civil, "\(what): stored as \(stored), read back as \(CivilTime(back))")
    guard let isoBack = CivilTime.parse(iso) else { Fuzz.fail("\(what): its ISO text \(iso) does not parse") }
    var toSecond = civil
    toSecond.millisecond = 0
    Fuzz.check(CivilTime(isoBack) == toSecond, "\(what): ISO text \(iso) read back as \(CivilTime(isoBack))")
    guard let dayBack = CivilTime.parse(day) else { Fuzz.fail("\(what): its day text \(day) does not parse") }
    Fuzz.check(CivilTime(dayBack) == CivilTime(year: civil.year, month: civil.month, day: civil.day),
               "\(what): day text \(day) read back as \(CivilTime(dayBack))")
}
