import AgoraCore
import AgoraScreen
import AgoraTestSupport
@testable import AgoraTUI
import Foundation
import Testing

/// The edit history overlay (`v`) and the bookmarks list (`B`) as literal screens (issue 14).
@Suite struct HistoryScreenTests {
    static let hour = 3600.0

    /// Ana's reply (102) edited twice: the history shows it now, then each earlier text, newest first.
    static func shown(_ size: Size) -> TUIHarness {
        let h = TUIHarness(size: size)
        h.press(.enter)
        var thread = Fixtures.thread()
        let i = thread.lines.firstIndex { $0.post.id == 102 }!
        thread.lines[i].post.body = "Start with small pull requests, read the tests first, and ask about anything unclear."
        thread.lines[i].post.edited = Fixtures.now.addingTimeInterval(-1 * hour)
        h.send(.thread(thread))
        h.press(.char("g"), .char("n"))   // the top, then the next post: Ana's reply
        #expect(h.state.reader.current?.selectedPostId == 102)
        h.press(.char("v"))
        #expect(h.effects.last == .loadHistory(postId: 102))
        h.send(.history(postId: 102, [
            PostRevision(postId: 102, body: "Start with small PRs.", replaced: Fixtures.now.addingTimeInterval(-3 * hour), by: "ana"),
            PostRevision(postId: 102, body: "Start with small pull requests and read the tests first.",
                         replaced: Fixtures.now.addingTimeInterval(-1 * hour), by: "ana"),
        ]))
        return h
    }

    @Test func historyAt80x24() {
        let h = Self.shown(Size(width: 80, height: 24))
        expectScreen(h, [
            " Mentoring Circle             Ana Lima (ana) · champion · 1 unread · 3 in queue",
            "  1 Topics   2 Peers   3 Queue   4 Reader   5 Highlights   6 Report   7 Inbox",
            " History of post #102 by Ana Lima (ana) · 2 earlier texts",
            "  now, since 1 hour ago",
            "  Start with small pull requests, read the tests first, and ask about anything",
            "  unclear.",
            "",
            "  text 2, replaced 1 hour ago by Ana Lima (ana)",
            "  Start with small pull requests and read the tests first.",
            "",
            "  first text, replaced 3 hours ago by Ana Lima (ana)",
            "  Start with small PRs.",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            " Esc close",
        ])
    }

    @Test func historyAt140x40() {
        let h = Self.shown(Size(width: 140, height: 40))
        expectScreen(h, [
            " Mentoring Circle                                                                         Ana Lima (ana) · champion · 1 unread · 3 in queue",
            "  1 Topics (1)   2 Peers   3 Queue (3)   4 Reader   5 Highlights   6 Report   7 Inbox",
            " History of post #102 by Ana Lima (ana) · 2 earlier texts",
            "  now, since 1 hour ago",
            "  Start with small pull requests, read the tests first, and ask about anything unclear.",
            "",
            "  text 2, replaced 1 hour ago by Ana Lima (ana)",
            "  Start with small pull requests and read the tests first.",
            "",
            "  first text, replaced 3 hours ago by Ana Lima (ana)",
            "  Start with small PRs.",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            " Esc close",
        ])
    }
}

@Suite struct BookmarksScreenTests {
    @Test func bookmarksAt80x24() {
        let h = TUIHarness(size: Size(width: 80, height: 24))
        h.press(.char("B"))
        #expect(h.effects.last == .loadBookmarks)
        h.send(.bookmarks([
            Bookmark(postId: 102, topicId: 1, topicTitle: "How do I get started with code review?", author: "ana", authorName: "Ana Lima",
                     body: "Start with small pull requests\nand read the tests first.", hidden: false, deleted: false,
                     created: Fixtures.now.addingTimeInterval(-600)),
            Bookmark(postId: 77, topicId: 4, topicTitle: "On-call burnout", author: "bo", authorName: "Bo Berg", body: "",
                     hidden: true, deleted: false, created: Fixtures.now.addingTimeInterval(-3 * 86400)),
        ]))
        expectScreen(h, [
            " Mentoring Circle             Ana Lima (ana) · champion · 2 unread · 3 in queue",
            "  1 Topics   2 Peers   3 Queue   4 Reader   5 Highlights   6 Report   7 Inbox",
            " Your bookmarks (2) · newest first",
            "▌ 10m Ana Lima       How do I get started with… Start with small pull requests",
            "   3d Bo Berg        On-call burnout            (hidden by a champion)",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            " Enter open  x remove  Esc close",
        ])
        h.press(.char("j"), .enter)
        #expect(h.effects.last == .openThread(4))
        #expect(h.state.overlay == nil && h.state.reader.focusPost == 77)
    }
}

@Suite struct TagWatchKeyTests {
    @Test func wInTheListSetsTheLevelOfTheTagItIsFilteredBy() {
        let h = TUIHarness(size: Size(width: 80, height: 24))
        h.press(.char("w"))
        #expect(h.screen.last!.contains("filter the list by a tag first (t)"))
        #expect(h.state.prompt == nil)
        h.press(.char("t"))
        h.type("review")
        h.press(.enter, .char("w"))
        #expect(h.screen.last!.hasPrefix(" every topic tagged review: (watching, normal or muted) "))
        h.type("loud")
        h.press(.enter)
        #expect(h.screen.last!.contains("'loud' is not a level"))
        h.press(.char("w"))
        h.type("m")
        let mark = h.effects.count
        h.press(.enter)
        #expect(h.effects(since: mark) == [.setTagWatch(tag: "review", level: .muted)])
    }
}
