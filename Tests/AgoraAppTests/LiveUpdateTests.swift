import AgoraApp
import AgoraCore
import AgoraScreen
@testable import AgoraStore
import AgoraTestSupport
import Foundation
import GRDB
import Testing

/// The event loop as the binary runs it, in process: what another session or the CLI writes reaches the screen,
/// and only what changed is read again.
@Suite struct LiveUpdateTests {
    @Test func aPostFromTheCommandLineAppearsWithoutAKey() throws {
        let program = try ProgramFile()
        let ana = try LiveSession(program, as: "ana")
        defer { ana.finish() }
        #expect(ana.shows("Pair on SQL"))
        try program.connection().post(kind: .request, title: "Mentor for negotiation", body: "Who can help?", by: "cy",
                                      now: ProgramFile.t0.addingTimeInterval(120))
        #expect(try ana.runUntil { ana.shows("Mentor for negotiation") })
    }

    @Test func aForeignReplyReadsOneTopicRowNotTheWholeHomeScreen() throws {
        let program = try ProgramFile()
        let ana = try LiveSession(program, as: "ana")
        defer { ana.finish() }
        let cli = try program.connection()
        let topic = try cli.topics().first { $0.topic.title == "Pair on SQL" }!.topic.id!
        let (reads, writes) = (ana.bridge.reads, ana.bridge.writes)
        try cli.reply(topic: topic, body: "I can pair on Thursday.", by: "cy", now: ProgramFile.t0.addingTimeInterval(300))
        // The row moves to the top and turns unread.
        #expect(try ana.runUntil { ana.screen.firstIndex { $0.contains("Pair on SQL") }! < ana.screen.firstIndex { $0.contains("Shared playbook") }! })
        try ana.settle()
        #expect(ana.bridge.reads - reads == 1)      // the changed rows (and the unread count), nothing else
        #expect(ana.bridge.writes == writes)        // and nothing written because of someone else's post
    }

    @Test func anOpenThreadGetsOnlyItsNewPostAndMarksItReadOnce() throws {
        let program = try ProgramFile()
        let bo = try LiveSession(program, as: "bo")
        defer { bo.finish() }
        try bo.press(.char("j"), .enter)   // bo's own "Pair on SQL" (below the unread one)
        #expect(try bo.runUntil { bo.shows("Anyone?") })
        try bo.settle()
        let (reads, writes) = (bo.bridge.reads, bo.bridge.writes)
        let cli = try program.connection()
        let topic = try cli.topics().first { $0.topic.title == "Pair on SQL" }!.topic.id!
        try cli.reply(topic: topic, body: "Count me in for SQL.", by: "cy", now: ProgramFile.t0.addingTimeInterval(300))
        #expect(try bo.runUntil { bo.shows("Count me in for SQL.") })
        try bo.settle()
        #expect(bo.bridge.reads - reads == 3)    // the topic row, the thread's tail, and bo's inbox count (a reply in his topic)
        #expect(bo.bridge.writes - writes == 1)  // one read mark: bo has the post on screen
        #expect(try cli.thread(topic, for: "bo").lastReadPostId == cli.thread(topic).posts.last!.id!)
    }

    @Test func draftsAndReadMarksWakeNobodyElse() throws {
        let program = try ProgramFile()
        let ana = try LiveSession(program, as: "ana")
        let bo = try LiveSession(program, as: "bo")
        defer { ana.finish(); bo.finish() }
        let before = try bo.store.latestChange()
        let (reads, writes) = (bo.bridge.reads, bo.bridge.writes)
        let frames = bo.terminal.presentCount
        // Ana opens a topic (a read mark) and leaves an unsent reply (a draft saved on the way out).
        try ana.press(.enter)
        try ana.press(.char("r"))
        try ana.type("half a thought")
        ana.finish()
        #expect(try ana.store.draft(login: "ana", scope: "topic:2") != nil || ana.store.drafts(login: "ana").count == 1)
        try bo.settle()
        #expect(try bo.store.latestChange() == before)   // nothing in the change log
        #expect(bo.bridge.reads == reads && bo.bridge.writes == writes)
        #expect(bo.terminal.presentCount == frames)   // woken by inotify at most: not even a frame
    }

    /// The swallowed commit: another process holds the write lock with a post in its transaction; this session's
    /// own write waits for it; the other process commits first, then ours. The other post must reach the screen:
    /// a "token before and after my write" check took it for part of our own write and never loaded it.
    @Test func aForeignCommitThatLandsWhileOurWriteWaitsIsNotSwallowed() throws {
        let program = try ProgramFile()
        let ourWriteWaits = DispatchSemaphore(value: 0)
        let reported = Atomic(false)
        let waits: @Sendable () -> Void = { if !reported.exchange(true) { ourWriteWaits.signal() } }
        let ana = try LiveSession(program, as: "ana") { c in
            c.busyMode = .callback { _ in   // where a writer does not queue (SQLite's own lock)
                waits()
                usleep(1000)
                return true
            }
        }
        ana.store.onWriterWait = waits   // in the writers' queue (DATABASE-lock), where another agora holds it
        defer { ana.finish() }
        let foreign = try program.connection()
        let foreignHolds = DispatchSemaphore(value: 0)
        let foreignDone = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            _ = try? foreign.write { db in
                try foreign.post(db, kind: .concern, title: "Held back by the lock", body: "Written while another waited.",
                                 tags: [], by: "cy", now: ProgramFile.t0.addingTimeInterval(200), template: nil,
                                 followUp: nil, draftScope: "new")
                foreignHolds.signal()
                ourWriteWaits.wait()   // commit only once our own write is waiting for the lock
            }
            foreignDone.signal()
        }
        foreignHolds.wait()
        // Ana writes a topic of her own: Ctrl-X waits for the lock, the foreign commit goes first, then hers.
        try ana.press(.char("c"))
        try ana.type("My own topic")
        try ana.press(.tab, .tab)
        try ana.type("Mine.")
        try ana.press(.ctrl("x"))
        foreignDone.wait()
        #expect(reported.load())
        #expect(try ana.runUntil { ana.shows("My own topic") })   // her thread opens
        try ana.press(.char("q"))                                    // back to the list
        #expect(try ana.runUntil { ana.shows("Held back by the lock") && ana.shows("Topics (4)") })
    }
}

/// A flag set from one thread and read from another.
final class Atomic<T>: @unchecked Sendable {
    private var value: T
    private let lock = NSLock()
    init(_ value: T) { self.value = value }
    func load() -> T { lock.lock(); defer { lock.unlock() }; return value }
    func exchange(_ new: T) -> T { lock.lock(); defer { lock.unlock() }; let old = value; value = new; return old }
}
