import AgoraCore
import AgoraTestSupport
import Foundation
import Testing
@testable import AgoraTUI

/// A thread that grows keeps the layout of what did not change; what the reader then shows must be exactly what a
/// fresh layout shows (guides of earlier posts change when a reply lands under them).
@Suite struct ReaderLayoutReuseTests {
    static let t0 = Date(timeIntervalSince1970: 1_795_687_200)

    static func post(_ id: Int64, parent: Int64?, by author: String, _ body: String) -> Post {
        Post(id: id, topicId: 1, parentId: parent, author: author, body: body, created: t0.addingTimeInterval(Double(id) * 60))
    }

    static func thread(_ posts: [Post], peers: [String: Peer] = [:], lastRead: Int64 = 0) -> ThreadSnapshot {
        ThreadSnapshot(topic: Topic(id: 1, kind: .discussion, title: "Growing", author: "ana", created: t0),
                       posts: posts, peers: peers, lastReadPostId: lastRead)
    }

    static let base: [Post] = (1...30).map { i in
        post(Int64(i), parent: i == 1 ? nil : (i % 4 == 0 ? Int64(i - 1) : nil), by: i % 2 == 0 ? "ana" : "bo",
             String(repeating: "words of post \(i) ", count: i % 6 + 1))
    }

    /// Lays `before` out (cached), changes the thread to `after`, and compares the reused layout with a fresh one.
    static func expectSameAsFresh(_ before: ThreadSnapshot, _ after: ThreadSnapshot, width: Int,
                                  sourceLocation: SourceLocation = #_sourceLocation) {
        let now = t0.addingTimeInterval(40 * 60)
        var reader = ReaderState(thread: before)
        _ = reader.layout(width: width, now: now)   // the whole thread, cached
        reader.thread = after
        let reused = reader.layout(width: width, now: now)
        let fresh = ReaderLayout(thread: after, width: width, now: now)
        #expect(reused.rows == fresh.rows, sourceLocation: sourceLocation)
        #expect(reused.postStarts == fresh.postStarts, sourceLocation: sourceLocation)
        #expect(reused.isComplete, sourceLocation: sourceLocation)
    }

    @Test func aReplyAtTheEnd() {
        let before = Self.thread(Self.base)
        let after = Self.thread(Self.base + [Self.post(31, parent: nil, by: "cy", "the newest word")])
        for width in [40, 80, 200] { Self.expectSameAsFresh(before, after, width: width) }
    }

    @Test func aReplyUnderAnEarlyPostChangesTheGuidesAboveIt() {
        let before = Self.thread(Self.base)
        let after = Self.thread(Self.base + [Self.post(31, parent: 2, by: "cy", "an answer to post 2")])
        for width in [40, 80] { Self.expectSameAsFresh(before, after, width: width) }
    }

    @Test func anAuthorsCardChangingAndTheNewMarkAreNotReusedStale() {
        let ana = Peer(login: "ana", name: "Ana Lima", unit: "Ops", joined: Self.t0)
        var renamed = ana
        renamed.name = "Ana Lima-Berg"
        Self.expectSameAsFresh(Self.thread(Self.base, peers: ["ana": ana]), Self.thread(Self.base, peers: ["ana": renamed]), width: 80)
        Self.expectSameAsFresh(Self.thread(Self.base, lastRead: 10), Self.thread(Self.base, lastRead: 20), width: 80)
    }

    @Test func aLayoutThatHadNotReachedTheChangeIsExtendedPastIt() {
        let now = Self.t0.addingTimeInterval(40 * 60)
        var reader = ReaderState(thread: Self.thread(Self.base))
        _ = reader.layout(width: 80, now: now, rows: 10)   // one screen only
        reader.thread = Self.thread(Self.base + [Self.post(31, parent: nil, by: "cy", "late")])
        let reused = reader.layout(width: 80, now: now)
        let fresh = ReaderLayout(thread: reader.thread, width: 80, now: now)
        #expect(reused.rows == fresh.rows)
    }
}

/// A thread's tail joins what is on screen as if the whole thread had been read again.
@Suite struct ThreadTailTests {
    typealias R = ReaderLayoutReuseTests

    @Test func aTailWithNewPostsKnownPostsAndNewAuthorsIsTheWholeThread() {
        let ana = Peer(login: "ana", name: "Ana", joined: R.t0)
        let cy = Peer(login: "cy", name: "Cy New", joined: R.t0)
        let shown = R.thread(Array(R.base.prefix(20)), peers: ["ana": ana])
        // A tail that repeats post 20 (a late answer after a reload), answers post 3 and the topic, from a new author.
        let tail = R.thread([R.base[19], R.post(31, parent: 3, by: "cy", "late"), R.post(32, parent: nil, by: "ana", "end")],
                            peers: ["cy": cy, "ana": ana], lastRead: 20)
        let whole = R.thread(Array(R.base.prefix(20)) + [R.post(31, parent: 3, by: "cy", "late"), R.post(32, parent: nil, by: "ana", "end")],
                             peers: ["ana": ana, "cy": cy], lastRead: 20)
        #expect(shown.appending(tail) == whole)
        let plain = R.thread([R.post(33, parent: nil, by: "ana", "one more")], peers: ["ana": ana], lastRead: 20)
        #expect(whole.appending(plain).lines.map(\.post.id) == whole.lines.map(\.post.id) + [33], "the usual tail")
        #expect(whole.appending(plain).peers == whole.peers)
    }
}

extension ThreadTailTests {
    /// Replies to the topic as a whole join a thread without laying it out again: the same lines as laying out all
    /// its posts, on random trees (nested last branches, deep chains past the indent limit, several replies at once).
    @Test func topLevelRepliesJoinAsAFreshLayoutWouldPlaceThem() {
        var rng = SplitMix(seed: 5)
        for round in 0..<300 {
            var posts = [R.post(1, parent: nil, by: "ana", "opening")]
            let n = Int(rng.next() % 40)
            for i in 0..<n {
                let id = Int64(i + 2)
                // Mostly answers to recent posts, so the last branch is often deep.
                let parent: Int64? = rng.next() % 3 == 0 ? nil : Int64(max(1, Int(id) - 1 - Int(rng.next() % 3)))
                posts.append(R.post(id, parent: parent, by: "bo", "p\(id)"))
            }
            let shown = R.thread(posts)
            let next = Int64(posts.count + 1)
            let added = (0..<(1 + Int(rng.next() % 3))).map { k in
                R.post(next + Int64(k), parent: k % 2 == 0 ? nil : 1, by: "cy", "new \(k)")
            }
            let tail = R.thread(added, lastRead: 0)
            #expect(shown.appending(tail).lines == R.thread(posts + added).lines, "round \(round)")
        }
    }
}

/// A long thread whose later posts have not come: the reader asks for them, and a failed request is not retried
/// in a loop (the daemon being away must not spin the session), only after the next key.
@Suite struct WithheldPostsTests {
    static func longThread() -> ThreadSnapshot {
        let t = Fixtures.topics()[0].topic
        let posts = (1...100).map { i in
            Post(id: Int64(i), topicId: t.id!, author: "ana", body: i < 10 ? "post \(i)" : "", created: Fixtures.now)
        }
        return ThreadSnapshot(topic: t, posts: posts, lastReadPostId: 100, withheld: Set(10...100))
    }

    @Test func aFailedRequestForWithheldPostsWaitsForTheNextKey() {
        let h = TUIHarness()
        h.state.pane = .reader
        h.state.reader.opening = Self.longThread().topic.id
        let before = h.effects.count
        h.send(.thread(Self.longThread()))
        let asked = h.effects(since: before).filter { if case .loadThreadPosts = $0 { return true } else { return false } }
        #expect(asked.count == 1, "nine short posts do not fill two screens: it asks for the next ones")
        let mark = h.effects.count
        h.send(.failed("reconnecting…"))
        #expect(h.effects(since: mark).isEmpty, "no new request straight after a failure")
        #expect(h.screenText.contains("reconnecting…"))
        h.press(.char("j"))
        #expect(h.effects(since: mark).contains { if case .loadThreadPosts = $0 { return true } else { return false } })
    }
}

/// Namesakes are told apart by the login in the name ("Bo Berg (bo2)"); the author line must not say it twice.
@Test func aNameThatCarriesItsLoginIsNotFollowedByItAgain() {
    let apart = Peer(login: "bo2", name: "Bo Berg (bo2)", joined: Fixtures.now)
    #expect(ReaderLayout.authorLabel("bo2", apart) == "Bo Berg (bo2)")
    let plain = Peer(login: "bo", name: "Bo Berg", joined: Fixtures.now)
    #expect(ReaderLayout.authorLabel("bo", plain) == "Bo Berg (bo)")
    // Someone else's login in a name is just text: the real login still follows.
    let other = Peer(login: "eve", name: "Bo Berg (bo)", joined: Fixtures.now)
    #expect(ReaderLayout.authorLabel("eve", other) == "Bo Berg (bo) (eve)")
}
