import AgoraCore
import Foundation
import FuzzSupport

// The CSV reader behind `agora peer import` (`CSVTable.parse`), on any UTF-8 text.
//
// Invariants: it returns records or throws `AgoraError` (an unclosed quote), never crashes; record lines are at
// least 1, increasing, and within the text's line count; no record is the empty record (blank lines are skipped);
// written back with every field quoted (RFC 4180), the fields read back the same, scalar for scalar. Each record then
// goes through what the import does with a row (`Peer.validated()`), which may only throw.

/// `main` (SwiftPM links it as `FuzzCSV_main` on Linux): libFuzzer's driver over `fuzzCSV`.
@_cdecl("FuzzCSV_main")
public func fuzzCSVMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    Fuzz.run(argc, argv, fuzzCSV)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let text = Fuzz.text(UnsafeBufferPointer(start: data, count: size)) else { return 0 }
    let records: [CSVTable.Record]
    do {
        records = try CSVTable.parse(text)
    } catch is AgoraError {
        return 0
    } catch {
        Fuzz.fail("CSVTable.parse threw \(type(of: error)), not AgoraError: \(error)")
    }

    // Lines: "\n", a lone "\r" and "\r\n" each end one.
    let lines = 1 + text.unicodeScalars.indices.filter { i in
        let u = text.unicodeScalars[i]
        if u == "\n" { return true }
        guard u == "\r" else { return false }
        let next = text.unicodeScalars.index(after: i)
        return next == text.unicodeScalars.endIndex || text.unicodeScalars[next] != "\n"
    }.count
    var last = 0
    for r in records {
        Fuzz.check(r.line > last, "record lines not increasing: \(records.map(\.line))")
        Fuzz.check(r.line <= lines, "record at line \(r.line) of a text of \(lines) lines")
        Fuzz.check(!r.fields.isEmpty, "a record without fields at line \(r.line)")
        Fuzz.check(!(r.fields.count == 1 && r.fields[0].isEmpty), "an empty record at line \(r.line)")
        last = r.line
    }

    let written = records.map { $0.fields.map(quoted).joined(separator: ",") }.joined(separator: "\r\n")
    let back: [CSVTable.Record]
    do { back = try CSVTable.parse(written) } catch {
        Fuzz.fail("what was read does not read back when written: \(error)\n\(written.debugDescription)")
    }
    Fuzz.check(back.count == records.count, "\(records.count) records read back as \(back.count): \(written.debugDescription)")
    for (a, b) in zip(records, back) {
        Fuzz.check(a.fields.count == b.fields.count && zip(a.fields, b.fields).allSatisfy { $0.unicodeScalars.elementsEqual($1.unicodeScalars) },
                   "line \(a.line): \(a.fields.map(\.debugDescription)) read back as \(b.fields.map(\.debugDescription))")
    }

    // What `peer import` makes of a row (its columns in the import's order).
    for r in records.prefix(50) {
        func field(_ i: Int) -> String { i < r.fields.count ? r.fields[i].trimmingCharacters(in: .whitespaces) : "" }
        let p = Peer(login: field(0), name: field(1), unit: field(2), region: field(3), generation: field(4),
                     goals: field(6), offers: field(7), joined: Date(timeIntervalSince1970: 1_800_000_000))
        do { _ = try p.validated() } catch is AgoraError {} catch {
            Fuzz.fail("Peer.validated threw \(type(of: error)), not AgoraError: \(error)")
        }
    }
    return 0
}

/// RFC 4180: in quotes, quotes doubled.
/// (By scalar: a quote with a combining mark on it is one `Character`, and must still be doubled.)
private func quoted(_ field: String) -> String {
    var out = String.UnicodeScalarView()
    out.append("\"")
    for u in field.unicodeScalars {
        if u == "\"" { out.append("\"") }
        out.append(u)
    }
    out.append("\"")
    return String(out)
}
