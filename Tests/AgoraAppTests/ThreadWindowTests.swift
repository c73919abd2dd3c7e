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
}
