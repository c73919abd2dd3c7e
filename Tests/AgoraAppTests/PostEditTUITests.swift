@testable import AgoraApp
import AgoraCore
import AgoraScreen
@testable import AgoraStore
import AgoraTestSupport
import Foundation
import Testing

/// Editing and deleting one's own post from the reader (`e`, `d`, `v`), as two people see it: the store keeps the
/// old text, the other session shows the change without a key pressed.
@Suite struct PostEditTUITests {
    /// Ana's session and Bo's, both with Ana's topic "Shared playbook" open (unread first: it is Bo's first row and, below
    /// Bo's unread topic, Ana's second).
    /// `replied`: Bo has replied in it, so it is unread to Ana too and first in her list.
    static func twoReaders(_ program: ProgramFile, replied: Bool = false) throws -> (LiveSession, LiveSession) {
        let ana = try LiveSession(program, as: "ana")
        let bo = try LiveSession(program, as: "bo")
        if !replied { try ana.press(.char("j")) }
        for s in [ana, bo] {
            try s.press(.enter)
            #expect(try s.runUntil { s.shows("Let us write one.") })
        }
        return (ana, bo)
    }

    @Test func anEditReachesTheStoreWithItsHistoryAndTheOtherScreenLive() throws {
        let program = try ProgramFile()
        let (ana, bo) = try Self.twoReaders(program)
        defer { ana.finish(); bo.finish() }
        try ana.press(.char("e"))
        #expect(try ana.runUntil { ana.shows("Editing your post #1") })
        try ana.type(" Draft by Friday.")
        try ana.press(.ctrl("x"))
        #expect(try ana.runUntil { ana.shows("edited: the earlier text is kept") })
        let store = try program.connection()
        #expect(try store.thread(1).posts[0].body == "Let us write one. Draft by Friday.")
        #expect(try store.postHistory(1, by: "bo").map(\.body) == ["Let us write one."])
        #expect(try store.draft(login: "ana", scope: "edit:1/1") == nil, "the edit's draft goes once it is in")
        // Bo's open thread takes the new text, marked edited.
        #expect(try bo.runUntil { bo.shows("Draft by Friday.") })
        #expect(bo.shows("(edited)"))
        // Anyone may read an edited post's history.
        try bo.press(.char("v"))
        #expect(try bo.runUntil { bo.shows("History of post #1 by Ana Lima (ana) · 1 earlier text") })
        #expect(bo.shows("first text, replaced") && bo.shows("Let us write one."))
        try bo.press(.escape)
        #expect(!bo.shows("History of post"))
        // Nobody edits someone else's post.
        try bo.press(.char("e"))
        #expect(bo.shows("only its author edits or deletes a post"))
        #expect(!bo.shows("Editing your post"))
    }

    @Test func deletingAsksFirstAndLeavesThePlaceForEveryone() throws {
        let program = try ProgramFile()
        let store = try program.connection()
        try store.reply(topic: 1, body: "Count me in.", by: "bo", now: ProgramFile.t0.addingTimeInterval(120))
        let (ana, bo) = try Self.twoReaders(program, replied: true)
        defer { ana.finish(); bo.finish() }
        try ana.press(.char("g"), .char("d"))
        #expect(ana.shows("delete your post #1? it shows as deleted by its author (y/n)"))
        try ana.press(.char("n"))
        #expect(ana.shows("not deleted"))
        #expect(try store.thread(1).posts[0].deleted == false)
        try ana.press(.char("d"), .char("y"))
        #expect(try ana.runUntil { ana.shows("deleted: it shows as deleted by its author") })
        #expect(try store.thread(1).posts[0].deleted == true)
        #expect(try bo.runUntil { bo.shows("deleted by its author") })
        #expect(!bo.shows("Let us write one."))
        #expect(bo.shows("Count me in."), "the reply stays in place")
        // Its history is the leader's alone now.
        try bo.press(.char("v"))
        #expect(try bo.runUntil { bo.shows("read what a deleted post said") })
        #expect(!bo.shows("History of post"), "a refused history closes, not left loading")
        // A deleted post is not edited again.
        try ana.press(.char("e"))
        #expect(ana.shows("this post is deleted"))
    }
}

/// An answer marked in one session shows in another's open thread at once (the facts row names it), not only once the
/// thread is opened again.
@Suite struct AcceptedAnswerLiveTests {
    @Test func anAnswerMarkedElsewhereReachesTheOpenThread() throws {
        let program = try ProgramFile()
        let store = try program.connection()
        let reply = try store.reply(topic: 2, body: "Happy to pair on window functions.", by: "ana", now: ProgramFile.t0.addingTimeInterval(120))
        let ana = try LiveSession(program, as: "ana")
        defer { ana.finish() }
        try ana.press(.enter)   // Bo's "Pair on SQL": her reply made it the latest
        #expect(try ana.runUntil { ana.shows("Happy to pair on window functions.") })
        #expect(!ana.shows("✓ answer by"))
        try store.acceptAnswer(reply, by: "bo", now: ProgramFile.t0.addingTimeInterval(180))
        #expect(try ana.runUntil { ana.shows("✓ answer by Ana Lima (A)") })
    }
}
