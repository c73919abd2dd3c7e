@testable import AgoraApp
import AgoraCore
import AgoraScreen
import AgoraTestSupport
import Foundation
import Testing

/// The topic list's sort and filters are where the person left them in their next session.
@Suite struct ViewFileTests {
    @Test func theSortAndKindFilterComeBackInTheNextSession() throws {
        let program = try ProgramFile()
        let file = ViewFile(path: program.dir.appendingPathComponent("state/agora/view.toml").path)
        do {
            let ana = try LiveSession(program, as: "ana", viewFile: file)
            defer { ana.finish() }
            #expect(ana.shows("· unread first"))
            try ana.press(.char("s"), .char("f"))   // by activity; ideas only
            #expect(ana.shows("· by activity"))
        }
        let text = try String(contentsOfFile: file.path, encoding: .utf8)
        #expect(text.contains("sort = \"activity\"") && text.contains("kind = \"idea\""))
        var mode = stat()
        #expect(stat(file.path, &mode) == 0 && mode.st_mode & 0o777 == 0o600)
        let again = try LiveSession(program, as: "ana", viewFile: file)
        defer { again.finish() }
        #expect(again.shows("· by activity"))
        #expect(again.shows("idea"))
        // F clears the filter, and that is kept too.
        try again.press(.char("F"))
        #expect(try !String(contentsOfFile: file.path, encoding: .utf8).contains("kind"))
    }

    @Test func aFileThatCannotBeUsedIsNamedAndTheListStartsUnfiltered() throws {
        let program = try ProgramFile()
        let path = program.dir.appendingPathComponent("view.toml").path
        try "sort = \"sideways\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        let ana = try LiveSession(program, as: "ana", viewFile: ViewFile(path: path))
        defer { ana.finish() }
        #expect(ana.shows("sort is 'unreadFirst' or 'activity', not 'sideways'"))
        #expect(ana.shows("· unread first"))
    }

    @Test func aDirectoryThatCannotBeWrittenIsSaidOnTheStatusLine() throws {
        let program = try ProgramFile()
        let blocked = program.dir.appendingPathComponent("blocked")
        try "a file, not a directory".write(to: blocked, atomically: true, encoding: .utf8)
        let ana = try LiveSession(program, as: "ana", viewFile: ViewFile(path: blocked.path + "/agora/view.toml"))
        defer { ana.finish() }
        try ana.press(.char("s"))
        #expect(ana.shows("cannot keep the list's sort and filters"))
    }
}

/// A champion's queue action is done after its 10 s for undo, at once when the session ends, never when undone.
@Suite struct HeldQueueActionTests {
    /// Past the unanswered grace period (24 h): the fixtures' topics wait in the queue.
    static let twoDaysOn = ProgramFile.t0.addingTimeInterval(2 * 86400)

    /// Two requests nobody answered: they wait in the champion queue.
    static func programWithRequests() throws -> ProgramFile {
        let program = try ProgramFile()
        let store = try program.connection()
        try store.post(kind: .request, title: "Shared playbook review", body: "Who reads it?", by: "ana", now: ProgramFile.t0)
        try store.post(kind: .request, title: "Pair on SQL joins", body: "Anyone?", by: "bo", now: ProgramFile.t0)
        return program
    }

    @Test func undoneItIsNeverDoneAndOnceItsTimeIsOverItIs() throws {
        let program = try Self.programWithRequests()
        let lea = try LiveSession(program, as: "lea", at: Self.twoDaysOn)
        defer { lea.finish() }
        try lea.press(.char("3"))
        #expect(try lea.runUntil { lea.shows("Shared playbook review") })
        let store = try program.connection()
        let topic = try #require(try store.topics().first { $0.topic.title == "Shared playbook review" }?.topic)
        // Select the item and resolve it: gone from the screen, not yet in the store.
        let at = try #require(lea.runner.state.visibleQueue.firstIndex { $0.topicId == topic.id }, "the topic waits for an answer")
        for _ in 0..<at { try lea.press(.char("j")) }
        #expect(lea.runner.state.selectedQueueRow?.topicId == topic.id)
        try lea.press(.char("x"))
        #expect(!lea.shows("Shared playbook review"))
        #expect(try store.thread(topic.id!).topic.status == .open)
        try lea.press(.char("u"))
        #expect(lea.shows("Shared playbook review"))
        #expect(lea.runner.held == nil, "nothing is left to do later")
        #expect(try store.thread(topic.id!).topic.status == .open)
        // Again, and this time the 10 s run out (the deadline moved, not waited for).
        try lea.press(.char("x"))
        lea.runner.held?.deadline = Date.distantPast
        try lea.runner.step(limit: 0)
        #expect(try store.thread(topic.id!).topic.status == .resolved)
        #expect(lea.runner.held == nil)
        #expect(lea.runner.state.queue.held == nil)
    }

    @Test func quittingDoesTheHeldActionRatherThanLosingIt() throws {
        let program = try Self.programWithRequests()
        let lea = try LiveSession(program, as: "lea", at: Self.twoDaysOn)
        try lea.press(.char("3"))
        #expect(try lea.runUntil { lea.shows("Pair on SQL joins") })
        let key = try #require(lea.runner.state.selectedQueueRow?.key)
        try lea.press(.char("z"))
        try lea.press(.char("q"))
        lea.finish()
        let store = try program.connection()
        #expect(try !store.queue(for: "lea", now: Self.twoDaysOn).contains { $0.key == key })
    }
}
