import AgoraCore
import AgoraScreen
import AgoraTestSupport
import Foundation
import Testing

/// The disk under the program fills while a peer writes: the full-screen program says so in one line, keeps what
/// was typed, and sends it once there is space, in the same session.
@Suite struct FullDiskTests {
    @Test(.enabled(if: SmallDisk.unavailable == nil, "\(SmallDisk.unavailable ?? "")"))
    func aFullDiskKeepsTheComposerAndSendsOnceFreed() throws {
        let disk = try SmallDisk(kib: 2048)
        let program = try ProgramFile(in: disk.dir.appendingPathComponent("program"))
        let ana = try LiveSession(program, as: "ana")
        defer { ana.finish() }
        #expect(try ana.runUntil { ana.shows("Topics (2)") })
        try ana.press(.char("c"))
        try ana.type("Written on a full disk")
        try ana.press(.tab, .tab)
        try ana.type(String(repeating: "Every word of this must survive. ", count: 1_500))   // ~50 KB: more than the disk has left
        disk.fill()
        try ana.press(.ctrl("x"))
        #expect(try ana.runUntil { ana.shows("is full") }, "no word of the full disk:\n\(ana.screen.joined(separator: "\n"))")
        #expect(ana.shows("Written on a full disk"), "the composer is still open with the title:\n\(ana.screen.joined(separator: "\n"))")
        disk.free()
        try ana.press(.ctrl("x"))
        #expect(try ana.runUntil { ana.shows("Every word of this must survive.") && !ana.shows("is full") },
                "sent once there is space:\n\(ana.screen.joined(separator: "\n"))")
        let stored = try program.connection().topics().filter { $0.topic.title == "Written on a full disk" }
        #expect(stored.count == 1, "one topic, not two and not none")
    }
}
