import TOMLKit

/// A config file's problem, as one line: the file, the line when it is known, and what is wrong.
public struct ConfigError: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        let text = line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)"
        // One line whatever the file held: toml++ quotes the character it stopped at, and a key is the file's own
        // text; a line break or control character in either is written as \u{…} (found by Fuzz/FuzzConfig).
        var out = String.UnicodeScalarView()
        for u in text.unicodeScalars {
            if u.value < 0x20 || (0x7F...0x9F).contains(u.value) || u.value == 0x2028 || u.value == 0x2029 {
                out.append(contentsOf: "\\u{\(String(u.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                out.append(u)
            }
        }
        return String(out)
    }
}

/// Agora's config files (`~/.config/agora/config.toml`, /etc/agora/config.toml): flat TOML whose every setting is a
/// string. Read and written with TOMLKit, so a quote in a path, an escape or a trailing comment means what TOML says
/// it means; a key Agora does not know is an error, not silently ignored.
public enum ConfigFile {
    /// The settings of `text`, each of which must be one of `known` and a string.
    public static func parse(_ text: String, file: String, known: [String]) throws -> [String: String] {
        if let nul = text.utf8.firstIndex(of: 0) {
            // The parser reads a C string: everything after a NUL would vanish unseen.
            throw ConfigError(file: file, line: line(ofOffset: text.utf8.distance(from: text.utf8.startIndex, to: nul), in: text),
                              message: "contains a NUL byte")
        }
        if let (line, problem) = TOMLGuard.problem(in: text) {
            throw ConfigError(file: file, line: line, message: "not valid TOML: \(problem)")
        }
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch let e as TOMLParseError {
            throw ConfigError(file: file, line: e.source.begin.line, message: "not valid TOML: \(e.description)")
        } catch {
            throw ConfigError(file: file, line: nil, message: "not valid TOML")
        }
        var settings: [String: String] = [:]
        for key in table.keys.sorted() {
            let at = line(ofKey: key, in: text)
            guard known.contains(key) else {
                let list = known.isEmpty ? "" : " (known: \(known.joined(separator: ", ")))"
                throw ConfigError(file: file, line: at, message: "unknown setting '\(key)'\(list)")
            }
            // A switch may be written bare (`mouse = false`): it reads as the string "true" or "false".
            guard let value = table[key]?.string ?? table[key]?.bool.map({ $0 ? "true" : "false" }) else {
                throw ConfigError(file: file, line: at, message: "\(key) must be a string in quotes, like \(key) = \"…\"")
            }
            settings[key] = value
        }
        return settings
    }

    /// A config file of these settings, after comment lines (each written as `# line`). Every value is quoted and
    /// escaped by TOMLKit, so whatever a path holds reads back the same.
    public static func render(_ settings: [(key: String, value: String)], comment: [String] = []) -> String {
        var out = comment.map { "# \($0)\n" }.joined()
        for (key, value) in settings {
            let one = TOMLTable()
            one[key] = value
            // One table per line keeps the order given (a table sorts its keys).
            out += one.convert(to: .toml, options: [.allowUnicodeStrings]).trimmingTrailingNewlines() + "\n"
        }
        return out
    }

    /// The first line (from 1) that sets `key` at the top level, bare or quoted.
    static func line(ofKey key: String, in text: String) -> Int? {
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var s = Substring(raw.drop { $0 == " " || $0 == "\t" })
            if s.hasPrefix("[") { s = s.dropFirst().drop { $0 == " " || $0 == "[" } }
            for form in [key, "\"\(key)\"", "'\(key)'"] where s.hasPrefix(form) {
                let rest = s.dropFirst(form.count).drop { $0 == " " || $0 == "\t" }
                if rest.hasPrefix("=") || rest.hasPrefix(".") || rest.hasPrefix("]") { return n + 1 }
            }
        }
        return nil
    }

    static func line(ofOffset offset: Int, in text: String) -> Int {
        1 + text.utf8.prefix(offset).reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    }
}

private extension String {
    func trimmingTrailingNewlines() -> String {
        var s = Substring(self)
        while s.last == "\n" { s = s.dropLast() }
        return String(s)
    }
}
