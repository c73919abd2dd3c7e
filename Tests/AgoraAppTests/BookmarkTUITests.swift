@testable import AgoraApp
import AgoraCore
import AgoraScreen
@testable import AgoraStore
import AgoraTestSupport
import Foundation
import Testing

/// Bookmarks from the reader (`*`) and their list (`B`), in a live session over a program file.
@Suite struct BookmarkTUITests {
    @Test func aStarKeepsThePostAndTheListOpensItAndLetsItGo() throws {
        let program = try ProgramFile()
        let store = try program.connection()
        let r = try store.reply(topic: 1, body: "Count me in.", by: "bo", now: ProgramFile.t0.addingTimeInterval(120))
        let cy = try LiveSession(program, as: "cy")
        defer { cy.finish() }
        // "Shared playbook" is first (unread, newest activity); its reply is the second post.
        try cy.press(.enter)
        #expect(try cy.runUntil { cy.shows("Count me in.") })
        try cy.press(.char("G"))
        try cy.press(.char("*"))
        #expect(try cy.runUntil { cy.shows("bookmarked post \(r) (B lists your bookmarks)") })
        #expect(try store.bookmarks(login: "cy").map(\.postId) == [r])
        #expect(cy.screen.contains { $0.contains("Bo ") && $0.contains("bookmarked") }, "the reply's header says so: \(cy.screen)")

        // The list, from anywhere: back in the topic list, B, Enter lands on the post.
        try cy.press(.char("q"), .char("B"))
        #expect(try cy.runUntil { cy.shows("Your bookmarks (1) · newest first") })
        #expect(cy.shows("Shared playbook") && cy.shows("Count me in."))
        try cy.press(.enter)
        #expect(try cy.runUntil { cy.shows("Count me in.") && !cy.shows("Your bookmarks") })

        // * again on the same post lets it go.
        try cy.press(.char("*"))
        #expect(try cy.runUntil { cy.shows("bookmark on post \(r) removed") })
        #expect(try store.bookmarks(login: "cy").isEmpty)
        #expect(!cy.screen.contains { $0.contains("bookmarked") && !$0.contains("removed") })

        // x in the list removes one too; the list says what is left.
        try store.setBookmark(login: "cy", post: 1, true, now: ProgramFile.t0)
        try cy.press(.char("B"))
        #expect(try cy.runUntil { cy.shows("Your bookmarks (1)") })
        try cy.press(.char("x"))
        #expect(try cy.runUntil { cy.shows("Your bookmarks (0)") })
        #expect(cy.shows("No bookmarks yet. * on a post in the reader keeps it here."))
        #expect(try store.bookmarks(login: "cy").isEmpty)
    }

    @Test func aHiddenPostIsNotKeptAndTheStatusLineSaysWhy() throws {
        let program = try ProgramFile()
        let store = try program.connection()
        let r = try store.reply(topic: 1, body: "Rude words.", by: "bo", now: ProgramFile.t0.addingTimeInterval(120))
        let flag = try store.flag(post: r, reason: "rude", by: "ana", now: ProgramFile.t0.addingTimeInterval(180))
        try store.resolveFlag(flag, hide: true, reason: "rude", by: "lea", now: ProgramFile.t0.addingTimeInterval(240))
        let cy = try LiveSession(program, as: "cy")
        defer { cy.finish() }
        try cy.press(.enter)
        #expect(try cy.runUntil { cy.shows("(hidden by a champion)") })
        try cy.press(.char("G"), .char("*"))
        #expect(try cy.runUntil { cy.shows("is hidden by a champion: nothing to keep") })
        #expect(try store.bookmarks(login: "cy").isEmpty)
    }
}

@Suite struct TagWatchTUITests {
    @Test func mutingATagFromTheListReachesTheStoreAndItsTopicsGoRead() throws {
        let program = try ProgramFile()
        let store = try program.connection()
        try store.post(kind: .idea, title: "Standup bingo", body: "Fun?", tags: ["offtopic"], by: "bo", now: ProgramFile.t0.addingTimeInterval(60))
        let cy = try LiveSession(program, as: "cy")
        defer { cy.finish() }
        #expect(try cy.runUntil { cy.shows("Standup bingo") })
        #expect(try store.topics(TopicQuery(tag: "offtopic"), for: "cy").first?.unread == true)
        try cy.press(.char("t"))
        try cy.type("offtopic")
        try cy.press(.enter, .char("w"))
        try cy.type("muted")
        try cy.press(.enter)
        #expect(try cy.runUntil { cy.shows("tag offtopic: muted: nothing from its topics comes to you") })
        #expect(try store.tagWatchLevel("offtopic", for: "cy") == .muted)
        let rows = try store.topics(TopicQuery(tag: "offtopic"), for: "cy")
        #expect(rows.count == 1 && rows[0].unread == false, "a muted tag's topics sink out of the unread counts")
    }
}
