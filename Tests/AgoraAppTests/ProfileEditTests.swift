@testable import AgoraApp
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

/// The leader's rules from the TUI's editor become a new version in the store, accepted by the leader only.
@Suite struct RulesFromTheTUITests {
    @Test func setRulesWritesANewVersionTheOthersMustAccept() throws {
        let program = try ProgramFile()
        let store = try program.connection()
        let bridge = StoreBridge(store: store, login: "lea", clock: { LiveSession.now })
        let events = bridge.execute(.setRules("Be kind.\nShare what you learn."))
        #expect(events.contains { if case .info(let m) = $0 { m.contains("rules version 1") } else { false } })
        let p = try #require(try store.program())
        #expect(p.rulesVersion == 1 && p.rulesText == "Be kind.\nShare what you learn.")
        #expect(try store.peer("lea")?.rulesAckVersion == 1)
        #expect(try store.peer("ana")?.rulesAckVersion == 0)
        // A peer's session asking the same is refused with the store's reason.
        let peerBridge = StoreBridge(store: try program.connection(), login: "ana", clock: { LiveSession.now })
        let refused = peerBridge.execute(.setRules("Mine now"))
        #expect(refused.contains { if case .failed(let m) = $0 { m.contains("only a leader") } else { false } })
    }
}
