import AgoraCore
import AgoraScreen
import Foundation

/// Everything the CLI prints goes through here: plain text through the sanitiser,
/// JSON through an encoder with stable snake_case keys and ISO-8601 UTC dates, then made safe to print.
enum Output {
    static func line(_ s: String) {
        print(s)
    }

    /// A user-supplied one-line string, safe for the terminal.
    static func clean(_ s: String) -> String { Sanitizer.line(s) }

    static func json<T: Encodable>(_ value: T) throws {
        print(try jsonText(value))
    }

    static func jsonText<T: Encodable>(_ value: T) throws -> String { try Exporter.jsonText(value) }

    /// Every error, the argument parser's included, goes through the sanitiser: they quote what was typed
    /// (`agora show $'\e]0;pwn\a'` would otherwise set the terminal's title from "The value '…' is invalid").
    static func error(_ message: String) {
        FileHandle.standardError.write(Data("agora: error: \(Sanitizer.line(message))\n".utf8))
    }

    /// A remark beside the output, on standard error: what a person should know and a script need not read.
    static func note(_ message: String) {
        FileHandle.standardError.write(Data("agora: \(Sanitizer.line(message))\n".utf8))
    }

    /// Left-aligned columns for listings, measured and padded by display width (a wide or combined character is one
    /// cell or two, never cut apart); a column but the last is at most `maxColumn` wide, cut with "…" at a character.
    static let maxColumn = 40

    static func table(_ rows: [[String]]) {
        guard let first = rows.first else { return }
        let rows = rows.map { r in r.enumerated().map { i, c in i == r.count - 1 ? c : DisplayWidth.truncate(c, to: maxColumn) } }
        var widths = Array(repeating: 0, count: first.count)
        for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], DisplayWidth.of(c)) } }
        for r in rows {
            let cells = r.enumerated().map { i, c in i == r.count - 1 || i >= widths.count ? c : DisplayWidth.pad(c, to: widths[i]) }
            print(cells.joined(separator: "  ").trimmingCharacters(in: .whitespaces))
        }
    }
}
