import Foundation
import Testing
import AgoraCore
import AgoraScreen
import AgoraTUI
import AgoraTestSupport

/// Read state per post (issue 14): opening a long thread marks read what the screen showed, not everything; `M`
/// makes a post new again.
@Suite struct PostReadTests {
    /// Topic 1 with 40 replies to the topic after the opening post, all new to ana.
    static func longThread() -> ThreadSnapshot {
        var t = Fixtures.thread(lastRead: 100)
        let start = Fixtures.now.addingTimeInterval(-3600)
        let posts = [t.lines[0].post] + (1...40).map { i in
            Post(id: 200 + Int64(i), topicId: 1, author: "maria", body: "Reply number \(i).", created: start.addingTimeInterval(Double(i)))
        }
        t = ThreadSnapshot(topic: t.topic, tags: t.tags, posts: posts, peers: t.peers, lastReadPostId: 100)
        t.topic.lastPostId = 240
        t.topic.postCount = 41
        return t
    }

    static func marked(_ effects: [Effect]) -> (upTo: Int64, posts: [Int64])? {
        for case let .markRead(_, upTo, posts) in effects { return (upTo, posts) }
        return nil
    }

    @Test(arguments: [Size(width: 80, height: 24), Size(width: 140, height: 40)])
    func openingALongThreadMarksOnlyWhatTheScreenShowed(size: Size) throws {
        let h = TUIHarness(size: size, threads: [1: Self.longThread()])
        var mark = h.effects.count
        h.press(.enter)
        let first = try #require(Self.marked(h.effects(since: mark)), "opening marks what it shows")
        #expect(first.upTo == 0)
        #expect(first.posts.first == 101 && first.posts.count < 41, "the first screen, not the thread: \(first.posts)")
        // The screen's last post (its header at least) is read, the next one is not.
        h.present()
        let lastShown = try #require(first.posts.last)
        #expect(h.screenText.contains("Reply number \(lastShown - 201)."))
        #expect(!first.posts.contains(lastShown + 1))
        #expect(h.state.snapshot.topics.first { $0.id == 1 }?.unread == true, "the topic stays unread in the list")

        // A page down marks the next posts, each once.
        mark = h.effects.count
        h.press(.pageDown)
        let second = try #require(Self.marked(h.effects(since: mark)))
        #expect(Set(second.posts).isDisjoint(with: first.posts))
        #expect(second.posts.contains(lastShown + 1))
        // Paging on to the end: once nothing new is left unshown the topic is read to its last post, and the list
        // says so.
        var final: (upTo: Int64, posts: [Int64])?
        for _ in 0..<40 where h.state.snapshot.topics.first(where: { $0.id == 1 })?.unread == true {
            mark = h.effects.count
            h.press(.pageDown)
            final = Self.marked(h.effects(since: mark)) ?? final
        }
        #expect(final?.upTo == 240 && final?.posts == [])
        #expect(h.state.snapshot.topics.first { $0.id == 1 }?.unread == false)
        mark = h.effects.count
        h.press(.char("g"))
        #expect(Self.marked(h.effects(since: mark)) == nil, "posts already marked are not marked again")
    }

    @Test func jumpingToTheEndLeavesWhatItSkippedUnread() throws {
        let h = TUIHarness(threads: [1: Self.longThread()])
        h.press(.enter)
        let mark = h.effects.count
        h.press(.char("G"))
        let last = try #require(Self.marked(h.effects(since: mark)))
        #expect(last.upTo == 0 && last.posts.contains(240) && !last.posts.contains(220), "\(last.posts)")
        #expect(h.state.snapshot.topics.first { $0.id == 1 }?.unread == true)
    }

    @Test func mMarksTheSelectedPostUnreadAndItIsNotReadAgainWhileOpen() throws {
        let h = TUIHarness()
        h.press(.enter)   // the short thread: all of it on screen, read to its end
        #expect(h.state.snapshot.topics.first { $0.id == 1 }?.unread == false)
        let unreadBefore = h.state.snapshot.unreadCount
        let selected = try #require(h.state.reader.current?.selectedPostId)
        var mark = h.effects.count
        h.press(.char("M"))
        #expect(h.effects(since: mark).contains(.markUnread(postId: selected)))
        #expect(h.state.snapshot.topics.first { $0.id == 1 }?.unread == true)
        #expect(h.state.snapshot.unreadCount == unreadBefore + 1)
        h.present()
        #expect(h.screenText.contains("marked unread"))
        // Moving over it does not read it again.
        mark = h.effects.count
        h.press(.char("j"), .char("k"))
        #expect(Self.marked(h.effects(since: mark)) == nil)
        // One's own post is never unread.
        let own = try #require(h.state.reader.current?.thread.lines.firstIndex { $0.post.author == "ana" })
        while h.state.reader.current!.selected > own { h.press(.char("p")) }
        while h.state.reader.current!.selected < own { h.press(.char("n")) }
        mark = h.effects.count
        h.press(.char("M"))
        #expect(h.effects(since: mark).isEmpty)
        h.present()
        #expect(h.screenText.contains("your own posts are never unread"))
    }
}

@Test func readingATopicDoesNotReshuffleTheUnreadFirstListUnderTheCursor() throws {
    let h = TUIHarness()
    let before = h.state.visibleTopics.map(\.id)
    let unread = h.state.visibleTopics.filter(\.unread).map(\.id)
    try #require(unread.count >= 2 && h.state.topics.sort == .unreadFirst)
    h.press(.enter)   // the first unread topic, short enough to be read whole
    #expect(h.state.snapshot.topics.first { $0.id == unread[0] }?.unread == false)
    h.press(.char("q"))
    #expect(h.state.visibleTopics.map(\.id) == before, "the order stays while one reads")
    #expect(h.state.selectedTopic?.id == unread[0])
    h.press(.char("j"))
    #expect(h.state.selectedTopic?.id == before[1], "j goes on to the next topic as it was listed")
    // Sorting again puts the read topic among the read ones.
    h.press(.char("s"), .char("s"))
    #expect(h.state.visibleTopics.map(\.id).firstIndex(of: unread[0])! > h.state.visibleTopics.map(\.id).firstIndex(of: unread[1])!)
}
