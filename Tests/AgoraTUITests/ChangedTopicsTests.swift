import AgoraCore
import AgoraTestSupport
@testable import AgoraTUI
import Foundation
import Testing

/// What the TUI does with topic rows the change feed brings: the list keeps the store's order, the unread count
/// follows from what the list knew, and it asks the store only when it cannot tell.
@Suite struct ChangedTopicsTests {
    func row(_ id: Int64, minutesAgo: Double, unread: Bool, posts: Int = 2) -> TopicRow {
        let at = Fixtures.now.addingTimeInterval(-minutesAgo * 60)
        let t = Topic(id: id, kind: .idea, title: "Topic \(id)", author: "zoe", created: at.addingTimeInterval(-60),
                      lastActivity: at, postCount: posts, lastPostId: id * 100 + Int64(posts))
        return TopicRow(topic: t, authorName: "Zoe", unread: unread)
    }

    @Test func aChangedRowMovesToWhereItsActivityPutsIt() {
        var s = Snapshot(program: Fixtures.program(now: Fixtures.now), me: nil,
                         topics: [row(1, minutesAgo: 10, unread: false), row(2, minutesAgo: 20, unread: false),
                                  row(3, minutesAgo: 30, unread: false)])
        s.merge([row(3, minutesAgo: 0, unread: true, posts: 3)], limit: 10)
        #expect(s.topics.map(\.id) == [3, 1, 2])
        s.merge([row(4, minutesAgo: 15, unread: true, posts: 1)], limit: 10)
        #expect(s.topics.map(\.id) == [3, 1, 4, 2])
    }

    @Test func aFullListKeepsItsLengthAndLeavesOutOldTopicsThatSortPastItsEnd() {
        var s = Snapshot(program: Fixtures.program(now: Fixtures.now), me: nil,
                         topics: [row(1, minutesAgo: 10, unread: false), row(2, minutesAgo: 20, unread: false)])
        s.merge([row(9, minutesAgo: 99, unread: false)], limit: 2)   // a status change on an old topic
        #expect(s.topics.map(\.id) == [1, 2])
        s.merge([row(9, minutesAgo: 0, unread: true, posts: 7)], limit: 2)   // the old topic revived
        #expect(s.topics.map(\.id) == [9, 1])
    }

    @Test func theUnreadCountFollowsFromTheListOrIsAskedFor() {
        let h = TUIHarness()
        let before = h.state.snapshot.unreadCount
        let read = h.state.snapshot.topics.first { !$0.unread }!
        var now = read
        now.unread = true
        now.topic.postCount += 1
        now.topic.lastPostId += 1
        now.topic.lastActivity = Fixtures.now
        var mark = h.effects.count
        h.send(.topicsChanged([now]))
        #expect(h.state.snapshot.unreadCount == before + 1)
        #expect(!h.effects(since: mark).contains(.countUnread))
        #expect(h.state.visibleTopics.contains { $0.id == read.id && $0.unread })
        // A brand-new topic by someone else counts at once.
        h.send(.topicsChanged([row(77, minutesAgo: 0, unread: true, posts: 1)]))
        #expect(h.state.snapshot.unreadCount == before + 2)
        // An old topic the list never held: the TUI cannot know whether it counted before, so it asks.
        mark = h.effects.count
        h.send(.topicsChanged([row(78, minutesAgo: 0, unread: true, posts: 9)]))
        #expect(h.effects(since: mark).contains(.countUnread))
        h.send(.unreadCount(42))
        #expect(h.state.snapshot.unreadCount == 42)
        #expect(h.screen[0].contains("42 unread"))
    }
}

/// The shown order, kept up to date row by row, is the order made from scratch, for any change, filter and sort.
@Suite struct IncrementalTopicViewTests {
    struct Rng {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
    }

    func row(_ id: Int64, at minute: Int, unread: Bool, kind: TopicKind, posts: Int) -> TopicRow {
        let at = Fixtures.now.addingTimeInterval(Double(minute) * 60)
        let t = Topic(id: id, kind: kind, title: "T\(id)", author: "zoe", created: at, lastActivity: at, postCount: posts, lastPostId: id * 1000 + Int64(posts))
        return TopicRow(topic: t, tags: id % 3 == 0 ? ["data"] : [], authorName: "Zoe", unread: unread)
    }

    @Test(arguments: [TopicSort.unreadFirst, .activity], [TopicFilter(), TopicFilter(kind: .request), TopicFilter(tag: "data")])
    func mergingChangedRowsGivesTheOrderMadeFromScratch(sort: TopicSort, filter: TopicFilter) {
        var rng = Rng(state: 7)
        let kinds: [TopicKind] = [.idea, .request, .concern]
        var topics = (1...60).map { row(Int64($0), at: -$0 * 7, unread: rng.next(2) == 0, kind: kinds[rng.next(3)], posts: 1 + rng.next(5)) }
        topics.sort(by: TopicRow.byActivity)
        var snapshot = Snapshot(program: Fixtures.program(now: Fixtures.now), me: nil, topics: topics)
        var pane = TopicsPane()
        pane.sort = sort
        pane.filter = filter
        pane.refreshView(snapshot.topics)
        for round in 0..<200 {
            // A few rows change: a new post (to the top), a read mark, or a brand-new topic; the list holds 50.
            var changed: [TopicRow] = []
            for _ in 0...rng.next(3) {
                if rng.next(4) == 0 {
                    changed.append(row(Int64(1000 + round * 10 + changed.count), at: round, unread: rng.next(2) == 0,
                                       kind: kinds[rng.next(3)], posts: 1))
                } else {
                    var r = snapshot.topics[rng.next(snapshot.topics.count)]
                    if rng.next(2) == 0 { r.topic.lastActivity = Fixtures.now.addingTimeInterval(Double(round) * 60); r.unread = true }
                    else { r.unread = false }
                    if !changed.contains(where: { $0.id == r.id }) { changed.append(r) }
                }
            }
            let dropped = snapshot.merge(changed, limit: 50)
            pane.view.merge(changed, dropped: dropped, source: snapshot.topics)
            #expect(pane.view.rows.map(\.id) == TopicsPane.order(snapshot.topics, filter: filter, sort: sort).map(\.id))
            #expect(pane.view.isCurrent(snapshot.topics, filter, sort))
        }
    }
}
