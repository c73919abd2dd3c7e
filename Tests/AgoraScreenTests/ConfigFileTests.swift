import AgoraScreen
import Testing

/// The config files are TOML, read and written by TOMLKit: what a path holds comes back as it was, and a file that
/// is wrong says where in one line.
@Suite struct ConfigFileTests {
    @Test func aQuoteAnEscapeAndATrailingCommentMeanWhatTOMLSays() throws {
        let text = """
        # the shared program
        database = "/srv/a\\"b/agora.db"   # a quote in the path
        socket = '/run/agora #1/agora.sock'
        """
        let s = try ConfigFile.parse(text, file: "/etc/agora/config.toml", known: ["database", "socket"])
        #expect(s == ["database": "/srv/a\"b/agora.db", "socket": "/run/agora #1/agora.sock"])
    }

    @Test func whatIsWrittenReadsBackTheSame() throws {
        let hostile = ["/var/lib/ag\"ora/x.db", "C:\\odd\\path", "/tmp/# not a comment", "/tmp/née/ünïcode", "/tmp/a'b", "/tmp/tab\there"]
        for path in hostile {
            let text = ConfigFile.render([("database", path), ("socket", path + ".sock")], comment: ["Written by a test."])
            #expect(text.hasPrefix("# Written by a test.\n"))
            #expect(text.firstRange(of: "database")!.lowerBound < text.firstRange(of: "socket")!.lowerBound, "in the order given")
            let back = try ConfigFile.parse(text, file: "c.toml", known: ["database", "socket"])
            #expect(back == ["database": path, "socket": path + ".sock"], "\(text)")
        }
    }

    @Test func aBadFileNamesTheFileTheLineAndTheProblem() {
        func problem(_ text: String) -> String {
            do {
                _ = try ConfigFile.parse(text, file: "/home/u/.config/agora/config.toml", known: ["theme"])
                return "no error"
            } catch { return "\(error)" }
        }
        #expect(problem("# mine\n\ncolour = \"blue\"\n") == "/home/u/.config/agora/config.toml:3: unknown setting 'colour' (known: theme)")
        #expect(problem("theme = light\n").hasPrefix("/home/u/.config/agora/config.toml:1: not valid TOML: "))
        #expect(problem("\n\ntheme = \"light\n").hasPrefix("/home/u/.config/agora/config.toml:3: not valid TOML: "))
        #expect(problem("theme = 3\n") == "/home/u/.config/agora/config.toml:1: theme must be a string in quotes, like theme = \"…\"")
        #expect(problem("[theme]\nname = \"x\"\n").hasPrefix("/home/u/.config/agora/config.toml:1: theme must be a string"))
        #expect(problem("theme = \"light\"\ntheme = \"dark\"\n").hasPrefix("/home/u/.config/agora/config.toml:2: not valid TOML: "))
        #expect(problem("theme = \"li\u{0}ght\"\n") == "/home/u/.config/agora/config.toml:1: contains a NUL byte")
        #expect(problem("\n\"theme\" = \"light\"\n") == "no error")
    }

    /// Found by Fuzz/FuzzConfig: toml++ (inside TOMLKit) aborted the program on a table header that starts with no key
    /// (upstream marzer/tomlplusplus#294), on a `}` where an array needs a value and on a date, a space and one digit;
    /// and an error quoting a control character from the file was not one line. What only looks so inside a string is
    /// a value like any other.
    @Test func whatTheTOMLParserWouldAbortOnIsAnErrorAndEveryErrorIsOneLine() throws {
        for text in ["[\r1", "[=\u{7F}", "\u{FEFF}[[[", "theme = \"light\"\n  [\n", "[&", "v2=[[}", "theme = [\n}",
                     "a=1\u{15}16-10-0\u{17} 2 ", "when = 1979-05-27 0\n"] {
            #expect(throws: ConfigError.self, "\(text.debugDescription)") { try ConfigFile.parse(text, file: "c.toml", known: ["theme"]) }
        }
        #expect(throws: ConfigError(file: "c.toml", line: 2, message: "not valid TOML: a table header must start with a key, like [name]")) {
            try ConfigFile.parse("theme = \"light\"\n[&\n", file: "c.toml", known: ["theme"])
        }
        #expect(try ConfigFile.parse("theme = \"\"\"\n[& [}\\\n\"\"\"\n", file: "c.toml", known: ["theme"]) == ["theme": "[& [}"])
        #expect(throws: ConfigError(file: "c.toml", line: 1, message: "theme must be a string in quotes, like theme = \"…\"")) {
            try ConfigFile.parse("theme = 1979-05-27 07:32:00\n", file: "c.toml", known: ["theme"])   // a real date-time is read
        }
        for text in ["PT=n\u{2}", "\"a\\nb\" = \"x\""] {
            do {
                _ = try ConfigFile.parse(text, file: "c.toml", known: ["theme"])
                Issue.record("\(text.debugDescription) parsed")
            } catch let e as ConfigError {
                #expect(!e.description.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }, "\(e.description.debugDescription)")
            } catch {
                Issue.record("\(error)")
            }
        }
    }
}

@Test func aSwitchWrittenBareReadsAsTrueOrFalse() throws {
    let s = try ConfigFile.parse("mouse = false\ntheme = \"light\"\n", file: "c.toml", known: ["mouse", "theme"])
    #expect(s == ["mouse": "false", "theme": "light"])
    #expect(throws: ConfigError.self) { try ConfigFile.parse("mouse = 3\n", file: "c.toml", known: ["mouse"]) }
}
