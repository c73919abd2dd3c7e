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

    /// Whoever wore a login or a name before its owner joined is shown with their own login from then on.
    @Test func admittingALoginShowsWhoWoreItOrItsNameFirstByTheirLogins() throws {
        var program = DisplayNames.Index([("eve", "alice"), ("mal", "alice (alice)"), ("sam", "Bob Builder"), ("jsmith", "John Smith")])
        let alice = try program.admit(login: "alice", name: "Alice Example")
        #expect(alice.name == "Alice Example")
        #expect(alice.renamed.map { "\($0.login)=\($0.name)" } == ["eve=alice (eve)", "mal=mal"])
        #expect(program.conflict("alice", of: "eve") != nil, "and eve cannot take it back")
        let bob = try program.admit(login: "bob", name: "Bob Builder")
        #expect(bob.name == "Bob Builder (bob)" && bob.renamed.map(\.name) == ["Bob Builder (sam)"])
        let john = try program.admit(login: "johnsmith", name: "John Smith")   // a namesake, whose login jsmith's name also was
        #expect(john.name == "John Smith (johnsmith)" && john.renamed.map(\.name) == ["John Smith (jsmith)"])
        #expect(throws: AgoraError.self) { try program.admit(login: "zed", name: "Zed (bob)") }   // the newcomer's own choice
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
