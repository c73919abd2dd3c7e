import Foundation
import Testing

/// `agora inbox`, `watch`, `status` and `digest` as a member runs them (issue 14).
@Suite struct InboxCLITests {
    @Test func aMentionIsInTheInboxTheStatusLineAndTheDigestOfThatPersonOnly() throws {
        let cli = try CLI.withProgram()
        try cli.must(["post", "--kind", "request", "--title", "Talks", "--body", "@ana and @nobody: how long should a talk be?"], as: "bo")
        let inbox = try cli.must(["inbox"], as: "ana")
        #expect(inbox.text.contains("Bo Berg (bo) mentioned you  Talks"))
        #expect(try cli.must(["inbox"], as: "cham").text == "your inbox is empty")
        #expect(try cli.must(["status"], as: "ana").text.contains("Circle: 1 mention, 1 unread post in 1 topic"))
        let digest = try cli.must(["digest", "--format", "markdown"], as: "ana")
        #expect(digest.text.contains("## For you (1)") && digest.text.contains("- Bo Berg mentioned you: Talks"))
        #expect(try cli.must(["digest"], as: "bo").text.isEmpty, "nothing new for the author: no mail")
        let json = try cli.json(["inbox", "--json", "--unread"], as: "ana") as? [[String: Any]]
        #expect(json?.first?["kind"] as? String == "mention" && json?.first?["actor"] as? String == "bo")
        try cli.must(["inbox", "--mark-read"], as: "ana")
        #expect(try cli.must(["inbox", "--unread"], as: "ana").text == "nothing unread in your inbox")
        #expect(try cli.must(["status"], as: "ana").text.hasPrefix("Circle: 1 unread post"))
    }

    /// Every kind of notification is named on the status line; an accepted answer was left out of it while the
    /// header said "1 for you".
    @Test func theStatusLineNamesAnAcceptedAnswer() throws {
        let cli = try CLI.withProgram()
        try cli.must(["post", "--kind", "request", "--title", "CRM owner?", "--body", "Who owns the CRM?"], as: "bo")
        try cli.must(["reply", "1", "--body", "Ops does."], as: "ana")
        try cli.must(["inbox", "--mark-read"], as: "bo")
        try cli.must(["accept", "2"], as: "bo")
        #expect(try cli.must(["status"], as: "ana").text.hasPrefix("Circle: 1 answer accepted, "))
        // The leader's report counts it: the time from the question to the reply marked as its answer.
        let report = try cli.must(["report"], as: "lea").text
        #expect(report.contains("Median to accepted answer") && !report.contains("Median to accepted answer   —"), "\(report)")
    }

    @Test func watchingLevelsAndTheirErrors() throws {
        let cli = try CLI.withProgram()
        try cli.must(["post", "--kind", "idea", "--title", "Playbook", "--body", "Let us write one."], as: "bo")
        #expect(try cli.must(["watch", "1"], as: "bo").text == "topic 1: watching")
        #expect(try cli.must(["watch", "1"], as: "ana").text == "topic 1: normal")
        #expect(try cli.must(["watch", "1", "--level", "watching"], as: "ana").text == "topic 1: watching")
        try cli.must(["reply", "1", "--body", "Count me in."], as: "cham")
        #expect(try cli.must(["inbox"], as: "ana").text.contains("posted in a topic you watch  Playbook"))
        let bad = try cli.run(["watch", "1", "--level", "loud"], as: "ana")
        #expect(bad.status != 0 && bad.errLines == ["agora: error: unknown level 'loud' (use one of: watching, normal, muted)"])
        let missing = try cli.run(["watch", "99", "--level", "muted"], as: "ana")
        #expect(missing.status != 0 && missing.errLines.count == 1 && missing.err.contains("99"))
        let stranger = try cli.run(["inbox"], as: "stranger")
        #expect(stranger.status != 0 && stranger.err.contains("not a member"))
        let future = try cli.run(["digest", "--since", "+3d"], as: "ana")
        #expect(future.status != 0 && future.err.contains("--since"))
    }

    @Test func watchingATagAndItsErrors() throws {
        let cli = try CLI.withProgram()
        #expect(try cli.must(["watch", "--tag", "SQL"], as: "ana").text == "tag sql: normal")
        #expect(try cli.must(["watch", "--tag", "sql", "--level", "watching"], as: "ana").text == "tag sql: watching")
        #expect(try cli.must(["watch", "--tag", "crm", "--level", "muted"], as: "cham").text == "tag crm: muted")
        try cli.must(["post", "--kind", "request", "--title", "Join help", "--body", "Left or inner?", "--tag", "sql"], as: "bo")
        #expect(try cli.must(["inbox"], as: "ana").text.contains("Join help"), "a new topic with a watched tag is news")
        #expect(try cli.must(["watch", "1"], as: "ana").text == "topic 1: watching")
        try cli.must(["post", "--kind", "idea", "--title", "CRM clean-up", "--body", "Ask @cham", "--tag", "crm"], as: "bo")
        #expect(!(try cli.must(["inbox"], as: "cham").text.contains("CRM clean-up")), "a muted tag tells nothing, not even a mention")
        #expect(try cli.must(["watch", "2"], as: "cham").text == "topic 2: muted")

        try CLIBadInputTests.expectRefused(cli, ["watch", "--tag", "sql", "--level", "loud"], as: "ana", mentions: "unknown level")
        try CLIBadInputTests.expectRefused(cli, ["watch", "--tag", "a b", "--level", "muted"], as: "ana", mentions: "one tag")
        try CLIBadInputTests.expectRefused(cli, ["watch", "--tag", "no!", "--level", "muted"], as: "ana")
        try CLIBadInputTests.expectRefused(cli, ["watch", "1", "--tag", "sql"], as: "ana", mentions: "one of them")
        try CLIBadInputTests.expectRefused(cli, ["watch"], as: "ana", mentions: "one of them")
        try CLIBadInputTests.expectRefused(cli, ["watch", "--tag", "sql"], as: "stranger", mentions: "not a member")
    }
}
