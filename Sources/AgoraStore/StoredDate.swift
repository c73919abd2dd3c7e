import AgoraCore
import Foundation
import GRDB

// Dates are stored as "yyyy-MM-dd HH:mm:ss.SSS" UTC text, GRDB's format for `Date`, but written and read by
// `CivilTime`: GRDB does it with a `DateFormatter` and a `Calendar`, which load ICU's data (~6 MB resident)
// into every session, and parse each date through the calendar (slow for the thousands of rows a reload reads).
// Every record type and every query argument goes through here; `StoredDateTests` checks the text is GRDB's.

/// A record whose `Date` properties are encoded and decoded as stored text without Foundation's calendar.
public protocol StoredDates: FetchableRecord, EncodableRecord {}

extension StoredDates {
    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy {
        .custom { Date(stored: $0) }
    }
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy {
        .custom { $0.stored }
    }
}

extension Date {
    /// The database's text for this moment: pass this, never a `Date`, as a query argument.
    var stored: String { CivilTime(self).storedText }

    /// Reads a stored date: the text form, or a number of seconds since 1970 (GRDB reads both).
    init?(stored value: DatabaseValue) {
        switch value.storage {
        case .string(let text):
            guard let date = CivilTime.parse(text) else { return nil }
            self = date
        case .int64(let n): self.init(timeIntervalSince1970: Double(n))
        case .double(let x): self.init(timeIntervalSince1970: x)
        default: return nil
        }
    }
}

extension Row {
    /// The date in `column`; an error (not a crash, as GRDB's subscript would) when it is missing or unreadable.
    func date(_ column: String) throws -> Date { try Self.required(optionalDate(column), column) }

    /// The date in `column`, nil for NULL; an error when the value is not a date.
    func optionalDate(_ column: String) throws -> Date? { try Self.date(self[column] ?? .null, column) }

    /// The date in column `i` (`column` names it in errors): the fast way for rows read thousands at a time from a
    /// query that names its columns.
    func date(at i: Int, _ column: String) throws -> Date { try Self.required(optionalDate(at: i, column), column) }

    func optionalDate(at i: Int, _ column: String) throws -> Date? {
        // The stored text parsed in place (a cursor's row hands SQLite's own bytes: no String is made per date).
        let parsed = try withUnsafeData(atIndex: i) { data in
            data.flatMap { d in d.withUnsafeBytes { CivilTime.parse(bytes: $0.bindMemory(to: UInt8.self)) } }
        }
        return try parsed ?? Self.date(self[i], column)
    }

    private static func date(_ value: DatabaseValue, _ column: String) throws -> Date? {
        if value.isNull { return nil }
        guard let date = Date(stored: value) else {
            throw AgoraError("the database holds an unreadable date in \(column)", hint: "was it written by a newer agora?")
        }
        return date
    }

    private static func required(_ date: Date?, _ column: String) throws -> Date {
        guard let date else {
            throw AgoraError("the database holds no date in \(column)", hint: "run 'sqlite3 FILE \"PRAGMA integrity_check\"'")
        }
        return date
    }
}
