import Testing
@testable import AgoraCore

/// A member may not take a name that passes for another member (issue 18.5).
@Suite struct DisplayNamesTests {
    static let program = DisplayNames.Index([("alice", "Alice Example"), ("bo", "Bo Berg"), ("eve", "Eve")])

    @Test(arguments: ["Alice Example", "alice example", "ALICE  EXAMPLE", "Аlice Exаmple" /* Cyrillic а */,
                      "Ａｌｉｃｅ Ｅｘａｍｐｌｅ" /* fullwidth */, " Alice Example "])
    func anotherMembersNameInAnyDisguiseIsRefused(_ name: String) {
        #expect(Self.program.conflict(name, of: "eve") == "the name '\(Sanitizer.line(name))' is too like alice's")
    }

    @Test(arguments: ["Alice Example (alice)", "Totally Bo (bo)", "alice", "ALICE", "аlice", "Eve (bo) the second"])
    func anotherMembersLoginAsTheNameOrInParenthesesIsRefused(_ name: String) {
        #expect(Self.program.conflict(name, of: "eve")?.contains("would pass for") == true, "\(name)")
    }

    @Test(arguments: ["ВОВ", "Аlice Ехample", "ΑLICE EXAMPLE" /* Greek capitals */, "Alice Example\u{2800}",
                      "Alice\u{3164} Example", "Alice Exa\u{34F}mple", "Alice Example\u{FE0F}"])
    func capitalLookalikesAndInvisibleLettersDoNotMakeANameDifferent(_ name: String) {
        let program = DisplayNames.Index([("alice", "Alice Example"), ("bob", "BOB")])
        #expect(program.conflict(name, of: "eve") != nil, "\(name.unicodeScalars.map { String($0.value, radix: 16) })")
    }

    @Test func loginsDifferingInCaseAreBothGuardedAndANameCannotWaitForItsLogin() {
        let program = DisplayNames.Index([("Bob", "Robert"), ("bob", "Bobby"), ("eve", "alice")])
        #expect(program.conflict("bob", of: "Bob") != nil, "bob's login is someone else's than Bob's")
        #expect(program.passing(forLogin: "alice") == ["eve"])
        #expect(program.passing(forLogin: "zed").isEmpty)
        let waiting = DisplayNames.Index([("eve", "Eve (alice)"), ("ann", "Alice Example"), ("alice2", "alice2")])
        #expect(waiting.passing(forLogin: "alice") == ["eve"], "a name holding the login in parentheses passes for it; a longer name does not")
    }

    @Test func ownNamesAndDistinctNamesAreFine() {
        #expect(Self.program.conflict("Alice Example", of: "alice") == nil)        // her own
        #expect(Self.program.conflict("Alice Example (alice)", of: "alice") == nil)
        #expect(Self.program.conflict("Eve Example", of: "eve") == nil)
        #expect(Self.program.conflict("Alicia", of: "eve") == nil)
        #expect(Self.program.conflict("Zoë", of: "zoe") == nil)
        var grown = Self.program
        grown.add(login: "zoe", name: "Zoë")
        #expect(grown.conflict("zoë", of: "eve") != nil)
    }
}
