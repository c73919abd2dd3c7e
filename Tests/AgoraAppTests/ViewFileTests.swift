import AgoraApp
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
