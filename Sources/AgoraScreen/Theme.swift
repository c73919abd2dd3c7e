import Foundation
import TOMLKit

/// A theme file was not valid. The message names the file and the key.
public struct ThemeError: Error, Equatable, CustomStringConvertible, LocalizedError {
    public var file: String
    public var key: String?
    public var message: String

    public init(file: String, key: String? = nil, message: String) {
        self.file = file
        self.key = key
        self.message = message
    }

    public var description: String {
        if let key { return "theme \(file): key \"\(key)\": \(message)" }
        return "theme \(file): \(message)"
    }

    public var errorDescription: String? { description }
}

/// Maps every `Role` to a `ResolvedStyle`. Themes are TOML files shaped like helix themes:
///
/// ```toml
/// inherits = "default"              # optional: start from another theme
/// "ui.selection" = { fg = "white", bg = "accent", modifiers = ["bold"] }
/// "post.author" = "accent"          # a plain string is the foreground
/// [palette]
/// accent = "#5f87d7"                # palette names may be used wherever a colour goes
/// ```
///
/// Colours: a palette name, "#rrggbb", "0".."255" (or a bare integer), or an ANSI name ("red",
/// "light-blue", "gray"). Modifiers: bold, dim, italic, underlined, reversed. A role with no entry
/// falls back along its dots ("ui.text.dim" → "ui.text" → "ui"), then to the terminal's default.
/// A child's palette also recolours the styles it inherits.
public struct Theme: Sendable {
    public var name: String
    private var styles: [Role: ResolvedStyle]

    public func style(for role: Role) -> ResolvedStyle {
        styles[role] ?? .plain
    }

    /// A theme with the given styles; roles not listed fall back along their scopes.
    public init(name: String, styles: [Role: ResolvedStyle]) {
        self.name = name
        var resolved: [Role: ResolvedStyle] = [:]
        for role in Role.allCases {
            for scope in role.scopeChain {
                if let r = Role(rawValue: scope), let s = styles[r] { resolved[role] = s; break }
            }
        }
        self.styles = resolved
    }

    /// This theme with every colour removed (attributes kept): for NO_COLOR / colourless terminals
    /// when the mono theme is not wanted.
    public var withoutColours: Theme {
        var t = self
        t.styles = styles.mapValues(\.withoutColours)
        return t
    }

    // MARK: Built-in themes

    /// Reverse/bold/underline only, no colours: for NO_COLOR and terminals without colour.
    public static let builtinMono: Theme = {
        do { return try parse(toml: BuiltinThemes.mono, name: "mono", parentLoader: nil) } catch {
            fatalError("built-in mono theme is invalid: \(error)")
        }
    }()

    /// The embedded copy of Themes/default.toml, so the binary works without the Themes directory.
    public static let builtinDefault: Theme = {
        do { return try parse(toml: BuiltinThemes.default, name: "default", parentLoader: nil) } catch {
            fatalError("built-in default theme is invalid: \(error)")
        }
    }()

    // MARK: Loading

    /// Loads `NAME.toml` from the first of `searchPaths` that has it (put the user's directory first).
    /// "default" and "mono" fall back to the built-in copies when no file is found. `inherits` is
    /// resolved through the same search; a theme that inherits its own name (a user's default.toml
    /// with `inherits = "default"`) continues the search after the file it came from.
    public static func load(named name: String, searchPaths: [String]) throws -> Theme {
        let search = ThemeSearch(paths: searchPaths)
        let text = try search.locate(name, requestedBy: nil)
        return try parse(toml: text, name: name, parentLoader: { parent in
            try search.locate(parent, requestedBy: name)
        })
    }

    /// The names of all themes found in `searchPaths` plus the built-in ones, sorted.
    public static func available(searchPaths: [String]) -> [String] {
        var names: Set<String> = ["default", "mono"]
        for dir in searchPaths {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            for f in files where f.hasSuffix(".toml") { names.insert(String(f.dropLast(5))) }
        }
        return names.sorted()
    }

    /// Parses theme text. `name` is used in error messages ("NAME.toml") and as the theme's name;
    /// `parentLoader` returns the TOML text of a theme named by `inherits`. Without a loader only
    /// the built-in "default" and "mono" can be inherited.
    public static func parse(toml: String, name: String, parentLoader: ((String) throws -> String)?) throws -> Theme {
        let spec = try ThemeSpec.parse(toml: toml, file: "\(name).toml", parentLoader: parentLoader, depth: 0)
        var styles: [Role: ResolvedStyle] = [:]
        for role in Role.allCases {
            for scope in role.scopeChain {
                if let raw = spec.scopes[scope] {
                    styles[role] = try raw.resolve(palette: spec.palette)
                    break
                }
            }
        }
        var theme = Theme(name: name, styles: [:])
        theme.styles = styles
        return theme
    }
}

/// A theme file after inheritance but before colours are resolved, so that a child's palette
/// recolours what it inherits.
private struct ThemeSpec {
    var palette: [String: (value: String, file: String)] = [:]
    var scopes: [String: RawStyle] = [:]

    static let styleFields: Set<String> = ["fg", "bg", "modifiers"]
    static let modifiers: Set<String> = ["bold", "dim", "italic", "underlined", "underline", "reversed", "reverse"]

    static func parse(toml: String, file: String, parentLoader: ((String) throws -> String)?, depth: Int) throws -> ThemeSpec {
        if let (line, problem) = TOMLGuard.problem(in: toml) {
            throw ThemeError(file: file, message: "not valid TOML: \(problem) (line \(line))")
        }
        let table: TOMLTable
        do { table = try TOMLTable(string: toml) } catch let e as TOMLParseError {
            throw ThemeError(file: file, message: "not valid TOML: \(e.description) (\(e.source.begin))")
        }
        var spec = ThemeSpec()
        if let inherits = table["inherits"] {
            guard let parent = inherits.string else {
                throw ThemeError(file: file, key: "inherits", message: "must be a theme name (a string)")
            }
            guard depth < 8 else { throw ThemeError(file: file, key: "inherits", message: "inheritance is too deep (a cycle?)") }
            let text: String
            if let parentLoader {
                text = try parentLoader(parent)
            } else if parent == "default" {
                text = BuiltinThemes.default
            } else if parent == "mono" {
                text = BuiltinThemes.mono
            } else {
                throw ThemeError(file: file, key: "inherits", message: "unknown theme \"\(parent)\"")
            }
            spec = try parse(toml: text, file: "\(parent).toml", parentLoader: parentLoader, depth: depth + 1)
        }
        if let palette = table["palette"] {
            guard let p = palette.table else { throw ThemeError(file: file, key: "palette", message: "must be a table") }
            for key in p.keys {
                guard let v = p[key]?.string else {
                    throw ThemeError(file: file, key: "palette.\(key)", message: "must be a colour string like \"#rrggbb\"")
                }
                guard Colour(parsing: v) != nil else {
                    throw ThemeError(file: file, key: "palette.\(key)", message: "unknown colour \"\(v)\"")
                }
                spec.palette[key] = (v, file)
            }
        }
        for key in table.keys where key != "inherits" && key != "palette" {
            try spec.addScope(key, value: table[key]!, file: file)
        }
        return spec
    }

    /// Adds one entry; a table without style fields is a group of dotted sub-scopes
    /// (`[ui] text = "white"` is the same as `"ui.text" = "white"`).
    mutating func addScope(_ key: String, value: TOMLValueConvertible, file: String) throws {
        if let t = value.table, !t.keys.contains(where: ThemeSpec.styleFields.contains), !t.isEmpty {
            for sub in t.keys { try addScope("\(key).\(sub)", value: t[sub]!, file: file) }
            return
        }
        guard Role.validScopes.contains(key) else {
            throw ThemeError(file: file, key: key, message: "unknown role (known roles: \(Role.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        var raw = RawStyle(file: file, key: key)
        if let s = value.string {
            raw.fg = s
        } else if let t = value.table {
            for field in t.keys {
                let v = t[field]!
                switch field {
                case "fg", "bg":
                    guard let c = v.string ?? v.int.map(String.init) else {
                        throw ThemeError(file: file, key: "\(key).\(field)", message: "must be a colour")
                    }
                    if field == "fg" { raw.fg = c } else { raw.bg = c }
                case "modifiers":
                    guard let arr = v.array else {
                        throw ThemeError(file: file, key: "\(key).modifiers", message: "must be a list like [\"bold\"]")
                    }
                    for m in arr {
                        guard let name = m.string, ThemeSpec.modifiers.contains(name) else {
                            throw ThemeError(file: file, key: "\(key).modifiers",
                                             message: "unknown modifier \(m.debugDescription) (known: bold, dim, italic, underlined, reversed)")
                        }
                        raw.modifiers.insert(name)
                    }
                default:
                    throw ThemeError(file: file, key: "\(key).\(field)", message: "unknown field (use fg, bg, modifiers)")
                }
            }
        } else {
            throw ThemeError(file: file, key: key, message: "must be a colour string or a table { fg, bg, modifiers }")
        }
        scopes[key] = raw
    }
}

private struct RawStyle {
    var file: String
    var key: String
    var fg: String?
    var bg: String?
    var modifiers: Set<String> = []

    func resolve(palette: [String: (value: String, file: String)]) throws -> ResolvedStyle {
        func colour(_ text: String?, _ field: String) throws -> Colour? {
            guard let text else { return nil }
            if let p = palette[text], let c = Colour(parsing: p.value) { return c }
            if let c = Colour(parsing: text) { return c }
            throw ThemeError(file: file, key: "\(key).\(field)",
                             message: "unknown colour \"\(text)\" (not in [palette], not #rrggbb, 0-255 or an ANSI name)")
        }
        return ResolvedStyle(
            fg: try colour(fg, "fg"), bg: try colour(bg, "bg"),
            bold: modifiers.contains("bold"), dim: modifiers.contains("dim"),
            underline: modifiers.contains("underlined") || modifiers.contains("underline"),
            reverse: modifiers.contains("reversed") || modifiers.contains("reverse"),
            italic: modifiers.contains("italic"))
    }
}

/// One theme lookup: remembers where each name was found so a theme inheriting its own name
/// resolves to the next file (or the built-in) instead of itself.
private final class ThemeSearch {
    let paths: [String]
    private var foundAt: [String: Int] = [:]

    init(paths: [String]) { self.paths = paths }

    func locate(_ name: String, requestedBy: String?) throws -> String {
        let file = requestedBy.map { "\($0).toml" } ?? "\(name).toml"
        let key: String? = requestedBy == nil ? nil : "inherits"
        guard !name.isEmpty, !name.contains("/"), !name.hasPrefix(".") else {
            throw ThemeError(file: file, key: key, message: "invalid theme name \"\(name)\"")
        }
        let start = foundAt[name].map { $0 + 1 } ?? 0
        if start < paths.count {
            for i in start..<paths.count {
                let path = (paths[i] as NSString).appendingPathComponent("\(name).toml")
                guard FileManager.default.fileExists(atPath: path) else { continue }
                foundAt[name] = i
                do { return try String(contentsOfFile: path, encoding: .utf8) } catch {
                    throw ThemeError(file: path, message: "cannot read: \(error.localizedDescription)")
                }
            }
        }
        if start <= paths.count, name == "default" || name == "mono" {
            foundAt[name] = paths.count
            return name == "default" ? BuiltinThemes.default : BuiltinThemes.mono
        }
        if start > 0 {
            throw ThemeError(file: file, key: key, message: "theme \"\(name)\" inherits itself and there is no other \(name).toml to use")
        }
        throw ThemeError(file: file, key: key,
                         message: "no theme named \"\(name)\" in \(paths.joined(separator: ", "))")
    }
}
