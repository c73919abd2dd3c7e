import Foundation
import Testing
import AgoraCore
import AgoraTestSupport

/// Editing and deleting one's own posts, through every backend (issue 14).
@Suite("Contract: edits and deletions") struct PostEditContract {
    typealias G = ContractGiven

    @Test(arguments: ContractBackend.all)
    func theAuthorEditsTheOldTextIsHistoryAndOthersCannot(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let s = g.store
        let t = try s.post(kind: .idea, title: "A", body: "first words", by: "ana", now: G.at(0))
        #expect(throws: AgoraError.self) { try s.editPost(t.post, body: "forged", by: "bo", now: G.at(1)) }
        #expect(throws: AgoraError.self) { try s.editPost(t.post, body: "first words", by: "ana", now: G.at(1)) }
        try s.editPost(t.post, body: "better words", by: "ana", now: G.at(2))
        let post = try #require(try s.thread(t.topic, for: "bo").posts.first)
        #expect(post.body == "better words" && post.edited != nil && !post.deleted)
        #expect(try s.postHistory(t.post, by: "bo").map(\.body) == ["first words"], "anyone may read an edited post's history")
        #expect(try s.search("better", limit: 10, snippets: false).map(\.topicId) == [t.topic])
        #expect(try s.search("first", limit: 10, snippets: false).isEmpty, "the old text is not found any more")
    }

    @Test(arguments: ContractBackend.all)
    func aDeletedPostKeepsItsPlaceAndOnlyTheLeaderSeesWhatItSaid(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let s = g.store
        let t = try s.post(kind: .request, title: "Help?", body: "how do I start", by: "ana", now: G.at(0))
        let r = try s.reply(topic: t.topic, body: "ask @ana about it", by: "bo", now: G.at(1))
        let rr = try s.reply(topic: t.topic, parent: r, body: "thanks", by: "ana", now: G.at(2))
        #expect(throws: AgoraError.self) { try s.deletePost(r, by: "ana", now: G.at(3)) }
        try s.deletePost(r, by: "bo", now: G.at(3))
        let posts = try s.thread(t.topic, for: "ana").posts
        #expect(posts.map(\.id) == [t.post, r, rr], "replies stay in place")
        #expect(posts[1].deleted && posts[1].body.isEmpty)
        #expect(try s.notifications(for: "ana", unreadOnly: false, limit: 10).allSatisfy { $0.postId != r },
                "its mention is nobody's news any more")
        #expect(throws: AgoraError.self) { try s.postHistory(r, by: "ana") }
        #expect(try s.postHistory(r, by: "lea").map(\.body) == ["ask @ana about it"])
        #expect(throws: AgoraError.self) { try s.deletePost(r, by: "bo", now: G.at(4)) }
        #expect(throws: AgoraError.self) { try s.editPost(r, body: "back", by: "bo", now: G.at(4)) }
        #expect(throws: AgoraError.self) { try s.deletePost(999_999, by: "bo", now: G.at(4)) }
    }
}
