import AgoraCore
import Testing

/// Who hears of a post, and why: one rule for every backend (AgoraCore's `Notify`).
@Suite struct NotifyTests {
    @Test func mentionsAreAtSignsBeforeALoginNotInsideAnAddress() {
        #expect(Notify.mentions(in: "@ana thanks, and @bo.") == ["ana", "bo"])
        #expect(Notify.mentions(in: "mail ana@example.org or @@bo") == [])
        #expect(Notify.mentions(in: "(@cy) @cy @dee-") == ["cy", "dee"])
        #expect(Notify.mentions(in: "@ alone, @9lives, @Ünï") == [])
        #expect(Notify.mentions(in: "line one\n@ana") == ["ana"])
    }

    @Test func eachPersonOnceWithTheStrongestReasonNeverTheAuthorNeverMuted() {
        let everyone: (String) -> Bool = { $0 != "olga" }
        let r = Notify.recipients(author: "bo", topicAuthor: "ana", isReply: true, parentAuthor: "cy", mentioned: ["cy", "bo", "olga", "dee"],
                                  levels: ["eve": .watching, "dee": .muted, "fay": .normal], canBeNotified: everyone)
        #expect(r.map(\.login) == ["cy", "ana", "eve"])
        #expect(r.map(\.kind) == [.mention, .reply, .watched])
        // A topic's author watches it unless they muted it.
        let muted = Notify.recipients(author: "bo", topicAuthor: "ana", isReply: true, parentAuthor: nil, mentioned: [],
                                      levels: ["ana": .muted], canBeNotified: everyone)
        #expect(muted.isEmpty)
        // A reply to a post: its author hears it as a reply to them.
        let toPost = Notify.recipients(author: "bo", topicAuthor: "ana", isReply: true, parentAuthor: "cy", mentioned: [],
                                       levels: [:], canBeNotified: everyone)
        #expect(toPost.map(\.kind) == [.replyToPost, .reply])
        // A new topic tells only whom it mentions.
        let opening = Notify.recipients(author: "ana", topicAuthor: "ana", isReply: false, parentAuthor: nil, mentioned: ["bo"],
                                        levels: [:], canBeNotified: everyone)
        #expect(opening.map(\.login) == ["bo"])
    }
}
