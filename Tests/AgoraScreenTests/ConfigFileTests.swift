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
}
