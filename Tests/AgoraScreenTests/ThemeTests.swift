import AgoraScreen
import Foundation
import Testing

/// The repository's Themes/ directory, found from this file's path.
let themesDirectory: String = {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Themes").path
}()

@Suite struct ThemeTests {
    @Test func everyBundledThemeLoadsWithoutError() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: themesDirectory).filter { $0.hasSuffix(".toml") }.sorted()
        #expect(files.contains("default.toml") && files.contains("light.toml") && files.contains("mono.toml"))
        for file in files {
            let name = String(file.dropLast(5))
            let theme = try Theme.load(named: name, searchPaths: [themesDirectory])
            #expect(theme.name == name)
            // Every role the drawing code uses must be styled explicitly or by fallback in a bundled theme
            // except plain text, which may legitimately be the terminal default.
            _ = Role.allCases.map(theme.style(for:))
        }
    }

    @Test func embeddedThemesMatchTheFiles() throws {
        let fileDefault = try String(contentsOfFile: themesDirectory + "/default.toml", encoding: .utf8)
        let fileMono = try String(contentsOfFile: themesDirectory + "/mono.toml", encoding: .utf8)
        let fromFileDefault = try Theme.parse(toml: fileDefault, name: "default", parentLoader: nil)
        let fromFileMono = try Theme.parse(toml: fileMono, name: "mono", parentLoader: nil)
        for role in Role.allCases {
            #expect(fromFileDefault.style(for: role) == Theme.builtinDefault.style(for: role), "default.toml differs from BuiltinThemes at \(role.rawValue); regenerate")
            #expect(fromFileMono.style(for: role) == Theme.builtinMono.style(for: role), "mono.toml differs at \(role.rawValue)")
        }
    }

    @Test func monoHasNoColours() {
        for role in Role.allCases {
            let s = Theme.builtinMono.style(for: role)
            #expect(s.fg == nil && s.bg == nil, "\(role.rawValue)")
        }
        #expect(Theme.builtinMono.style(for: .uiSelection).reverse)
    }

    @Test func parsesColoursModifiersAndPalette() throws {
        let t = try Theme.parse(toml: """
            "ui.text" = "white"
            "ui.selection" = { fg = "accent", bg = "#ff0000", modifiers = ["bold", "reversed"] }
            "post.author" = { fg = 33, modifiers = ["underlined", "italic", "dim"] }
            [palette]
            accent = "117"
            """, name: "t", parentLoader: nil)
        #expect(t.style(for: .uiText) == ResolvedStyle(fg: .indexed(7)))
        #expect(t.style(for: .uiSelection) == ResolvedStyle(fg: .indexed(117), bg: .rgb(255, 0, 0), bold: true, reverse: true))
        #expect(t.style(for: .postAuthor) == ResolvedStyle(fg: .indexed(33), dim: true, underline: true, italic: true))
    }

    @Test func missingRoleFallsBackAlongItsDots() throws {
        let t = try Theme.parse(toml: """
            "ui" = "red"
            "ui.text" = "green"
            "ui.selection" = { bg = "blue" }
            """, name: "t", parentLoader: nil)
        #expect(t.style(for: .uiTextDim).fg == .indexed(2))           // ui.text.dim -> ui.text
        #expect(t.style(for: .uiSelectionUnfocused).bg == .indexed(4)) // -> ui.selection
        #expect(t.style(for: .uiBorder).fg == .indexed(1))             // -> ui
        #expect(t.style(for: .postBody) == .plain)                     // -> terminal default
    }

    @Test func nestedTablesAreDottedScopes() throws {
        let t = try Theme.parse(toml: """
            [post]
            author = "red"
            quote = { fg = "blue" }
            """, name: "t", parentLoader: nil)
        #expect(t.style(for: .postAuthor).fg == .indexed(1))
        #expect(t.style(for: .postQuote).fg == .indexed(4))
    }

    @Test func inheritanceOverridesKeysAndRecoloursThroughPalette() throws {
        let parent = """
            "ui.text" = "fg"
            "ui.title" = { fg = "accent", modifiers = ["bold"] }
            "post.author" = "green"
            [palette]
            fg = "250"
            accent = "75"
            """
        let child = """
            inherits = "base"
            "post.author" = "magenta"
            [palette]
            accent = "25"
            """
        var asked: [String] = []
        let t = try Theme.parse(toml: child, name: "child", parentLoader: { name in asked.append(name); return parent })
        #expect(asked == ["base"])
        #expect(t.style(for: .uiText).fg == .indexed(250))                                   // inherited
        #expect(t.style(for: .uiTitle) == ResolvedStyle(fg: .indexed(25), bold: true))      // recoloured by child palette
        #expect(t.style(for: .postAuthor).fg == .indexed(5))                                 // overridden
    }

    @Test func lightInheritsDefault() throws {
        let light = try Theme.load(named: "light", searchPaths: [themesDirectory])
        #expect(light.style(for: .uiText).fg != Theme.builtinDefault.style(for: .uiText).fg)
        #expect(light.style(for: .postAuthor).bold)
    }

    @Test func unknownRoleIsAnErrorNamingFileAndKey() {
        #expect {
            try Theme.parse(toml: "\"ui.selektion\" = \"red\"", name: "mine", parentLoader: nil)
        } throws: { error in
            guard let e = error as? ThemeError else { return false }
            return e.file == "mine.toml" && e.key == "ui.selektion" && e.description.contains("unknown role")
                && e.description.contains("mine.toml")
        }
    }

    @Test func unknownColourIsAnError() {
        #expect {
            try Theme.parse(toml: "\"ui.text\" = { fg = \"chartreuse\" }", name: "mine", parentLoader: nil)
        } throws: { error in
            let d = (error as? ThemeError)?.description ?? ""
            return d.contains("mine.toml") && d.contains("ui.text.fg") && d.contains("chartreuse")
        }
        #expect(throws: ThemeError.self) { try Theme.parse(toml: "[palette]\nx = \"#12345\"", name: "p", parentLoader: nil) }
        #expect(throws: ThemeError.self) { try Theme.parse(toml: "\"ui.text\" = 300", name: "p", parentLoader: nil) }
    }

    @Test func unknownModifierOrFieldIsAnError() {
        #expect {
            try Theme.parse(toml: "\"ui.text\" = { modifiers = [\"blink\"] }", name: "m", parentLoader: nil)
        } throws: { error in
            ((error as? ThemeError)?.description ?? "").contains("blink")
        }
        #expect(throws: ThemeError.self) { try Theme.parse(toml: "\"ui.text\" = { colour = \"red\" }", name: "m", parentLoader: nil) }
    }

    @Test func brokenTomlAndBadInheritanceAreErrors() {
        #expect(throws: ThemeError.self) { try Theme.parse(toml: "\"ui.text\" = ", name: "b", parentLoader: nil) }
        #expect(throws: ThemeError.self) { try Theme.parse(toml: "inherits = \"nope\"", name: "b", parentLoader: nil) }
        // A cycle stops instead of recursing forever.
        #expect(throws: ThemeError.self) {
            try Theme.parse(toml: "inherits = \"self\"", name: "self", parentLoader: { _ in "inherits = \"self\"" })
        }
        #expect(throws: ThemeError.self) { try Theme.load(named: "../etc/passwd", searchPaths: [themesDirectory]) }
        #expect(throws: ThemeError.self) { try Theme.load(named: "no-such-theme", searchPaths: [themesDirectory]) }
    }

    @Test func userDirectoryComesFirstAndBuiltinsAreTheFallback() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agora-theme-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "inherits = \"default\"\n\"ui.text\" = \"red\"\n".write(toFile: dir + "/default.toml", atomically: true, encoding: .utf8)
        try "inherits = \"default\"\n\"ui.title\" = \"blue\"\n".write(toFile: dir + "/mine.toml", atomically: true, encoding: .utf8)
        let mine = try Theme.load(named: "mine", searchPaths: [dir, themesDirectory])
        #expect(mine.style(for: .uiTitle).fg == .indexed(4))
        #expect(mine.style(for: .uiText).fg == .indexed(1))       // from the user's default.toml
        // The user's default.toml inherits "default": a theme inheriting its own name continues the
        // search after the file it came from, so the bundled default fills in the rest.
        let userDefault = try Theme.load(named: "default", searchPaths: [dir, themesDirectory])
        #expect(userDefault.style(for: .uiText).fg == .indexed(1))
        #expect(userDefault.style(for: .uiTitle) == Theme.builtinDefault.style(for: .uiTitle))
        let userDefaultOverBuiltin = try Theme.load(named: "default", searchPaths: [dir])
        #expect(userDefaultOverBuiltin.style(for: .uiTitle) == Theme.builtinDefault.style(for: .uiTitle))
        let fromBuiltin = try Theme.load(named: "mono", searchPaths: ["/nonexistent"])
        #expect(fromBuiltin.style(for: .uiSelection) == Theme.builtinMono.style(for: .uiSelection))
        #expect(Theme.available(searchPaths: [dir]).contains("mine"))
    }

    @Test func colourMappingForSmallerPalettes() {
        #expect(Colour.indexed(4).index(forColourCount: 8) == 4)
        #expect(Colour.rgb(255, 0, 0).index(forColourCount: 16) == 9)
        #expect(Colour.rgb(0, 0, 0).index(forColourCount: 256) == 16)
        #expect(Colour.indexed(196).index(forColourCount: 8) == 1)   // bright red cube -> red
        #expect(Colour.indexed(231).index(forColourCount: 16) == 15)
        #expect(Colour.indexed(255).index(forColourCount: 16) == 7)
        #expect(Colour(parsing: "#5f87d7") == .rgb(0x5f, 0x87, 0xd7))
        #expect(Colour(parsing: "light-blue") == .indexed(12))
        #expect(Colour(parsing: "nope") == nil)
    }

    /// Found by Fuzz/FuzzTheme: toml++ (inside TOMLKit) aborted the program on a table header that starts with no key
    /// (upstream marzer/tomlplusplus#294), on a `}` where an array needs a value and on a date, a space and one digit;
    /// `agora --theme NAME` with such a file died instead of naming the file. Text that only looks so inside strings
    /// and comments is still read.
    @Test func whatTheTOMLParserWouldAbortOnIsAnErrorNotAnAbort() {
        for text in ["[=\u{7F}", "\u{FEFF}[[[", "[&", "\"ui.text\" = \"red\"\n[\n", "A=[[}\u{4}", "a = [ # c\n }", "x=1572-93-w= 8 "] {
            #expect(throws: ThemeError.self, "\(text.debugDescription)") { try Theme.parse(toml: text, name: "bad", parentLoader: nil) }
        }
        #expect(throws: ThemeError(file: "bad.toml", message: "not valid TOML: a table header must start with a key, like [name] (line 1)")) {
            try Theme.parse(toml: "[&", name: "bad", parentLoader: nil)
        }
        let fine = "# [& in a comment\n\"ui.text\" = { fg = \"red\", modifiers = [ \"bold\", # }\n ] }\n[palette]\nx = \"#ffffff\" # [}\n"
        #expect(throws: Never.self) { try Theme.parse(toml: fine, name: "fine", parentLoader: nil) }
    }
}
