import AgoraApp
import AgoraCore
import AgoraScreen
@testable import AgoraStore
import AgoraTestSupport
import Foundation
import Testing

/// A peer's own profile, edited in the full-screen program, reaches the store and every other session.
@Suite struct ProfileEditTests {
    @Test func aProfileSavedInTheTUIIsStoredAndShownElsewhere() throws {
        let program = try ProgramFile()
        let ana = try LiveSession(program, as: "ana")
        defer { ana.finish() }
        let bo = try LiveSession(program, as: "bo")
        defer { bo.finish() }
        try ana.press(.char("2"), .char("/"))
        try ana.type("Ana")
        try ana.press(.enter, .enter, .char("e"))
        #expect(try ana.runUntil { ana.shows("Your profile") })
        try ana.type("negotiation")
        try ana.press(.tab)
        try ana.type("SQL, Swift")
        try ana.press(.ctrl("x"))
        #expect(try ana.runUntil { ana.shows("profile saved") })
        let stored = try #require(try program.connection().peer("ana"))
        #expect(stored.goals == "negotiation" && stored.offers == "SQL, Swift")
        // Bo's directory has it without a key pressed there.
        try bo.press(.char("2"))
        #expect(try bo.runUntil { bo.shows("offers: SQL, Swift") })
    }
}
