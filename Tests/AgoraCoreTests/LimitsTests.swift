import Testing
@testable import AgoraCore

@Suite struct LimitsTests {
    @Test func titles() throws {
        #expect(try Limits.title("  Hello  ") == "Hello")
        #expect(try Limits.title(String(repeating: "é", count: 200)).count == 200)
        let long = #expect(throws: AgoraError.self) { try Limits.title(String(repeating: "x", count: 201)) }
        #expect(long?.message == "the title is 201 characters; the limit is 200")
        #expect(long?.exitCode == 2)
        #expect(throws: AgoraError.self) { try Limits.title("") }
        #expect(throws: AgoraError.self) { try Limits.title(" \n\t ") }
    }

    @Test func bodiesAreCappedInBytes() throws {
        #expect(try Limits.body(String(repeating: "a", count: 64 * 1024)).utf8.count == 64 * 1024)
        let e = #expect(throws: AgoraError.self) { try Limits.body(String(repeating: "a", count: 64 * 1024 + 1)) }
        #expect(e?.message.contains("limit is 65536") == true)
        // 22,000 three-byte characters are fewer than 64 Ki characters but more than 64 KiB.
        #expect(throws: AgoraError.self) { try Limits.body(String(repeating: "李", count: 22_000)) }
        #expect(throws: AgoraError.self) { try Limits.body("  \n ") }
        #expect(try Limits.body("\n  hi\n") == "hi")
    }

    @Test func aNulIsRefusedWithItsByteOffsetInEveryKindOfText() throws {
        let body = #expect(throws: AgoraError.self) { try Limits.body("héllo\u{0}world") }
        #expect(body?.message == "the text has a NUL byte at byte 6")
        #expect(body?.exitCode == 2)
        #expect((#expect(throws: AgoraError.self) { try Limits.title("\u{0}") })?.message == "the title has a NUL byte at byte 0")
        #expect((#expect(throws: AgoraError.self) { try Limits.name("ab\u{0}", field: "unit") })?.message.hasPrefix("the unit has") == true)
        #expect(throws: AgoraError.self) { try Limits.label("x\u{0}", field: "region") }
        #expect(throws: AgoraError.self) { try Limits.shortText("why\u{0}", field: "reason") }
        #expect((#expect(throws: AgoraError.self) { try Limits.tags(["ok", "t\u{0}g"]) })?.message == "the tag has a NUL byte at byte 1")
        #expect(try Limits.body("no nul here") == "no nul here")
    }

    @Test func namesTagsAndTitlesMustShowSomething() throws {
        for blank in ["\u{3164}", "\u{115F}\u{1160}", "\u{FFA0}", "\u{2800}", "\u{200B}", "\u{301}", "\u{3164} \u{2800}", "\u{AD}"] {
            let e = #expect(throws: AgoraError.self) { try Limits.name(blank) }
            // (Foundation trims some of them as white space: then the name is empty.)
            #expect(e?.message == "the name has no visible character" || e?.message == "the name is empty",
                    "\(blank.unicodeScalars.map { String($0.value, radix: 16) })")
            #expect(throws: AgoraError.self) { try Limits.title(blank) }
        }
        #expect((#expect(throws: AgoraError.self) { try Limits.tags(["ok", "\u{3164}"]) })?.message.hasSuffix("has no visible character") == true)
        for shown in ["Zoë", "e\u{301}", "李小龙", "😀", "👨‍👩‍👧‍👦", "Ana \u{3164}Lima", "⠁"] { #expect(try Limits.name(shown) == shown) }
    }

    @Test func tagsAreLowercasedWordsDeduplicated() throws {
        #expect(try Limits.tags(["Swift, career", "swift", "c++ c#"]) == ["swift", "career", "c++", "c#"])
        #expect(throws: AgoraError.self) { try Limits.tags(["no/slash"]) }
        #expect(throws: AgoraError.self) { try Limits.tags([String(repeating: "t", count: 33)]) }
        #expect(throws: AgoraError.self) { try Limits.tags((1...11).map { "t\($0)" }) }
        #expect(try Limits.tags((1...10).map { "t\($0)" }).count == 10)
    }

    @Test func names() throws {
        #expect(try Limits.name(" Ana ") == "Ana")
        #expect(throws: AgoraError.self) { try Limits.name("") }
        #expect(throws: AgoraError.self) { try Limits.name(String(repeating: "n", count: 81)) }
        #expect(throws: AgoraError.self) { try Limits.shortText(String(repeating: "g", count: 2001), field: "goals") }
    }

    @Test(arguments: ["ana", "a.b-c_1", "Bob", "_svc", "x", String(repeating: "a", count: 32)])
    func validLogins(_ login: String) throws {
        #expect(try Limits.login(login) == login)
    }

    @Test(arguments: ["", "1abc", "-x", ".x", "a b", "a;rm", "ána", "a/b", String(repeating: "a", count: 33), "a\u{1B}"])
    func invalidLogins(_ login: String) {
        let e = #expect(throws: AgoraError.self) { try Limits.login(login) }
        #expect(e?.message.contains("\u{1B}") == false)   // the echoed login is sanitised
    }
}
