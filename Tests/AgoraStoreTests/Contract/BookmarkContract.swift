import Foundation
import Testing
import AgoraCore
import AgoraTestSupport

/// Bookmarks, through every backend (issue 14): private to each person, newest first, and nothing kept of a post
/// that says nothing any more.
@Suite("Contract: bookmarks") struct BookmarkContract {
    typealias G = ContractGiven

    @Test(arguments: ContractBackend.all)
    func aBookmarkIsMineAloneNewestFirstAndShowsInTheThread(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let s = g.store
        let t = try s.post(kind: .request, title: "SQL joins?", body: "How do I join\ntwo tables", by: "ana", now: G.at(0))
        let r = try s.reply(topic: t.topic, body: "Use JOIN ... ON", by: "bo", now: G.at(1))
        try s.setBookmark(login: "cham", post: t.post, true, now: G.at(2))
        try s.setBookmark(login: "cham", post: r, true, now: G.at(3))
        try s.setBookmark(login: "cham", post: t.post, true, now: G.at(4))   // again: keeps its first date and place
        let marks = try s.bookmarks(login: "cham")
        #expect(marks.map(\.postId) == [r, t.post])
        #expect(marks.map(\.created) == [G.at(3), G.at(2)])
        #expect(marks[1].topicTitle == "SQL joins?" && marks[1].authorName == "Ana Lima" && marks[1].excerpt == "How do I join")
        #expect(try s.bookmarks(login: "ana").isEmpty, "another person's bookmarks are not mine")
        #expect(try s.thread(t.topic, for: "cham").bookmarked == [t.post, r])
        #expect(try s.threadTail(t.topic, after: t.post, for: "cham").bookmarked == [t.post, r])
        #expect(try s.thread(t.topic, for: "ana").bookmarked.isEmpty)
        try s.setBookmark(login: "cham", post: t.post, false, now: G.at(5))
        try s.setBookmark(login: "cham", post: t.post, false, now: G.at(6))   // letting go twice is no error
        #expect(try s.bookmarks(login: "cham").map(\.postId) == [r])
    }

    @Test(arguments: ContractBackend.all)
    func hiddenDeletedAndUnknownPostsAreRefusedAndAKeptOneSaysWhatBecameOfIt(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let s = g.store
        let t = try s.post(kind: .idea, title: "Idea", body: "first", by: "ana", now: G.at(0))
        let r = try s.reply(topic: t.topic, body: "rude words", by: "bo", now: G.at(1))
        let gone = try s.reply(topic: t.topic, body: "taken back", by: "bo", now: G.at(1))
        try s.setBookmark(login: "ana", post: r, true, now: G.at(2))
        let flag = try s.flag(post: r, reason: "rude", by: "ana", now: G.at(3))
        try s.resolveFlag(flag, hide: true, reason: "rude", by: "cham", now: G.at(4))
        try s.deletePost(gone, by: "bo", now: G.at(4))
        #expect(throws: AgoraError.self) { try s.setBookmark(login: "cham", post: r, true, now: G.at(5)) }
        #expect(throws: AgoraError.self) { try s.setBookmark(login: "ana", post: gone, true, now: G.at(5)) }
        #expect(throws: AgoraError.self) { try s.setBookmark(login: "ana", post: 999_999, true, now: G.at(5)) }
        #expect(throws: AgoraError.self, "someone outside the program keeps nothing") {
            try s.setBookmark(login: "zed", post: t.post, true, now: G.at(5))
        }
        let kept = try #require(try s.bookmarks(login: "ana").first)
        #expect(kept.postId == r && kept.hidden && kept.body.isEmpty, "the hidden text does not come back through a bookmark")
        #expect(kept.excerpt == "(hidden by a champion)")
        try s.setBookmark(login: "ana", post: r, false, now: G.at(6))
        #expect(try s.bookmarks(login: "ana").isEmpty, "a bookmark of a hidden post can still be let go")
    }
}
