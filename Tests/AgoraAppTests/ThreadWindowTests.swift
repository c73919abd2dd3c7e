import AgoraCore
import AgoraScreen
import AgoraTestSupport
import Foundation
import Testing

/// A long thread opens with its first screens' posts and reads the rest as the reader gets near them: what a person
/// sees is the whole thread, in order, whatever keys they use.
@Suite("Thread read in windows") struct ThreadWindowTests {
    /// A topic by Bo with `replies` replies (alternately Bo's and Cy's), "reply 001" on; its id.
    static func longThread(_ program: ProgramFile, replies: Int) throws -> Int64 {
        let cli = try program.connection()
        let t = try cli.post(kind: .discussion, title: "The long one", body: "Opening words.", by: "bo",
                             now: ProgramFile.t0.addingTimeInterval(120))
        for i in 1...replies {
            try cli.reply(topic: t.topic, body: String(format: "reply %03d", i), by: i % 2 == 0 ? "bo" : "cy",
                          now: ProgramFile.t0.addingTimeInterval(180 + Double(i)))
        }
        return t.topic
    }

    /// The replies on screen, by number, top to bottom.
    static func replies(_ s: LiveSession) -> [Int] {
        s.screen.compactMap { line in
            line.range(of: #"reply \d{3}"#, options: .regularExpression).map { Int(line[$0].dropFirst(6))! }
        }
    }

    @Test func pagingThroughALongThreadShowsEveryPostOnceInOrderAndReadsItInAFewWindows() throws {
        let program = try ProgramFile()
        _ = try Self.longThread(program, replies: 150)
        let ana = try LiveSession(program, as: "ana")
        defer { ana.finish() }
        try ana.settle()
        let reads = ana.bridge.reads
        try ana.press(.enter)   // the newest topic is first
        #expect(try ana.runUntil { ana.shows("Opening words.") })
        #expect(ana.bridge.reads - reads == 1)   // one read opens it: no second request for the first screens
        var seen: [Int] = []
        for _ in 0..<200 where seen.last != 150 {
            for n in Self.replies(ana) where n > (seen.last ?? 0) { seen.append(n) }
            try ana.press(.pageDown)
        }
        #expect(seen == Array(1...150))
        // 41 lines came with the opening; the other 110 in windows of 64 as the reader got near them.
        #expect(ana.bridge.reads - reads == 3)
        #expect(ana.shows("151 posts"))
    }

    @Test func theEndAndTheNextPostKeysReachPostsThatHadNotComeYet() throws {
        let program = try ProgramFile()
        _ = try Self.longThread(program, replies: 150)
        let ana = try LiveSession(program, as: "ana")
        defer { ana.finish() }
        try ana.press(.enter)
        #expect(try ana.runUntil { ana.shows("Opening words.") })
        try ana.press(.char("G"))
        #expect(Self.replies(ana).last == 150)
        #expect(!ana.shows("more ↓"))

        let lea = try LiveSession(program, as: "lea")   // has read nothing of it (Cy wrote in it: she has)
        defer { lea.finish() }
        try lea.press(.enter)
        #expect(try lea.runUntil { lea.shows("Opening words.") })
        for _ in 0..<60 { try lea.press(.char("n")) }
        // Post 61 of the reading order is reply 060, beyond the opening's 41 lines: its header is the reader's
        // first content row, selected, with its body under it.
        let body = try #require(lea.screen.firstIndex { $0.contains("reply 060") })
        #expect(lea.screen[body - 1].contains("▌"))
        #expect(lea.screen[body - 1].contains("Bo Berg (bo)"))   // reply 060 is Bo's, his card came with it
        #expect(Self.replies(lea).first == 60)
    }

    /// A champion hides a post the reader already had, while the thread is open: when it reloads, the post is
    /// hidden for them too, even where the reload sends it only in outline (the old copy must not come back).
    @Test func aPostHiddenWhileTheThreadIsOpenIsHiddenEvenWhereTheReloadWithholdsIt() throws {
        let program = try ProgramFile()
        let topic = try Self.longThread(program, replies: 150)
        let ana = try LiveSession(program, as: "ana", size: Size(width: 100, height: 70))   // the last ~20 posts show
        defer { ana.finish() }
        try ana.press(.enter)
        #expect(try ana.runUntil { ana.shows("Opening words.") })
        try ana.press(.char("G"))   // every post comes; all of them read
        #expect(Self.replies(ana).last == 150)
        try ana.press(.char("g"))
        let champion = try program.connection()
        let target = try #require(champion.thread(topic).posts.first { $0.body == "reply 140" }?.id)
        let flag = try champion.flag(post: target, reason: "off topic", by: "bo", now: ProgramFile.t0.addingTimeInterval(400))
        try champion.resolveFlag(flag, hide: true, reason: "off topic", by: "lea", now: ProgramFile.t0.addingTimeInterval(460))
        try ana.settle()
        try ana.press(.char("G"))
        #expect(try ana.runUntil { Self.replies(ana).last == 150 })
        #expect(Self.replies(ana).contains(139) && Self.replies(ana).contains(141), "140's neighbours are on screen")
        #expect(!ana.shows("reply 140"), "the hidden post's old copy came back:\n\(ana.screen.joined(separator: "\n"))")
        #expect(ana.shows("(hidden by a champion)"))
    }
}
