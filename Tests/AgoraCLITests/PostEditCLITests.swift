import Foundation
import Testing

/// `agora edit`, `agora delete` and `agora history` as a member types them: the happy path, then every refusal as one
/// line on stderr, a failing exit status and the program unchanged.
@Suite(.serialized) struct PostEditCLITests {
    @Test func editDeleteAndHistoryFromTheCommandLine() throws {
        let cli = try CLI.withProgram()
        try cli.must(["post", "--kind", "idea", "--title", "Lunch and learn", "--body", "Fridays at noon."], as: "ana")
        try cli.must(["reply", "1", "--body", "Count me in."], as: "bo")
        #expect(try cli.must(["history", "1"], as: "bo").text.contains("post 1 was never edited"))
        #expect(try cli.must(["edit", "1", "--body", "Fridays at one."], as: "ana").text.contains("post 1 edited"))
        let history = try cli.must(["history", "1"], as: "bo").text
        #expect(history.contains("Fridays at noon."), "\(history)")
        let json = try #require(try cli.json(["history", "1"], as: "bo") as? [[String: Any]])
        #expect(json.count == 1 && json[0]["body"] as? String == "Fridays at noon." && json[0]["by"] as? String == "ana")
        #expect(try cli.must(["show", "1"], as: "bo").text.contains("Fridays at one."))

        // Refusals: someone else's post, the same text, an unknown post, a bad id, an empty text.
        try CLIBadInputTests.expectRefused(cli, ["edit", "1", "--body", "Mine now."], as: "bo")
        try CLIBadInputTests.expectRefused(cli, ["delete", "1"], as: "bo")
        try CLIBadInputTests.expectRefused(cli, ["edit", "1", "--body", "Fridays at one."], as: "ana", mentions: "same")
        try CLIBadInputTests.expectRefused(cli, ["edit", "999", "--body", "x"], as: "ana", mentions: "999")
        try CLIBadInputTests.expectRefused(cli, ["delete", "999"], as: "ana", mentions: "999")
        try CLIBadInputTests.expectRefused(cli, ["history", "999"], as: "ana", mentions: "999")
        try CLIBadInputTests.expectRefused(cli, ["edit", "one", "--body", "x"], as: "ana")
        try CLIBadInputTests.expectRefused(cli, ["edit", "1", "--body", "   "], as: "ana")

        // Deleted: the place stays, the reply stays, the history is the leader's alone.
        #expect(try cli.must(["delete", "1"], as: "ana").text.contains("post 1 deleted"))
        let shown = try cli.must(["show", "1"], as: "bo").text
        #expect(shown.contains("deleted by its author") && !shown.contains("Fridays at one.") && shown.contains("Count me in."), "\(shown)")
        try CLIBadInputTests.expectRefused(cli, ["history", "1"], as: "bo", mentions: "deleted post")
        #expect(try cli.must(["history", "1"], as: "lea").text.contains("Fridays at one."))
        try CLIBadInputTests.expectRefused(cli, ["delete", "1"], as: "ana")
        try CLIBadInputTests.expectRefused(cli, ["edit", "1", "--body", "Back again."], as: "ana")
    }
}

/// `agora bookmark` and `agora bookmarks` as a member types them, and their refusals.
@Suite(.serialized) struct BookmarkCLITests {
    @Test func bookmarkListAndRemoveFromTheCommandLine() throws {
        let cli = try CLI.withProgram()
        try cli.must(["post", "--kind", "request", "--title", "SQL joins", "--body", "How do I join\ntwo tables?"], as: "ana")
        try cli.must(["reply", "1", "--body", "JOIN ... ON, see the docs."], as: "bo")
        #expect(try cli.must(["bookmarks"], as: "cham").text.contains("no bookmarks"))
        #expect(try cli.must(["bookmark", "1"], as: "cham").text.contains("post 1 bookmarked"))
        #expect(try cli.must(["bookmark", "2"], as: "cham").text.contains("post 2 bookmarked"))
        let list = try cli.must(["bookmarks"], as: "cham").text
        let lines = list.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(list)")
        #expect(lines.first?.contains("#1/2") == true && lines.first?.contains("Bo") == true && lines.first?.contains("SQL joins") == true, "\(list)")
        #expect(lines.last?.contains("How do I join") == true && lines.last?.contains("two tables") == false, "\(list)")
        let json = try #require(try cli.json(["bookmarks"], as: "cham") as? [[String: Any]])
        #expect(json.map { $0["post_id"] as? Int } == [2, 1])
        #expect(try cli.must(["bookmarks"], as: "ana").text.contains("no bookmarks"), "mine are not anyone else's")

        #expect(try cli.must(["bookmark", "2", "--remove"], as: "cham").text.contains("removed"))
        let left = try #require(try cli.json(["bookmarks"], as: "cham") as? [[String: Any]])
        #expect(left.map { $0["post_id"] as? Int } == [1])

        // Refusals: an unknown post, a bad id, removing what was never kept, a hidden post, someone outside.
        try CLIBadInputTests.expectRefused(cli, ["bookmark", "999"], as: "cham", mentions: "999")
        try CLIBadInputTests.expectRefused(cli, ["bookmark", "two"], as: "cham")
        try CLIBadInputTests.expectRefused(cli, ["bookmark", "2", "--remove"], as: "cham", mentions: "not among your bookmarks")
        try cli.must(["delete", "2"], as: "bo")
        try CLIBadInputTests.expectRefused(cli, ["bookmark", "2"], as: "cham", mentions: "deleted")
        try CLIBadInputTests.expectRefused(cli, ["bookmarks"], as: "zed")
        try CLIBadInputTests.expectRefused(cli, ["bookmark", "1"], as: "zed")
    }
}
