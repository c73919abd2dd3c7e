import AgoraCore
import Foundation
import Testing

/// Full-text search: every word must match as a prefix, best first by `relevance` (higher is better; only the
/// order means something), one hit per topic, hidden posts never found.
@Suite("Contract: search") struct SearchContract {
    typealias G = ContractGiven

    static func expectBestFirst(_ hits: [SearchHit], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(zip(hits, hits.dropFirst()).allSatisfy { $0.relevance >= $1.relevance },
                "relevance must not increase down the list: \(hits.map(\.relevance))", sourceLocation: sourceLocation)
        #expect(Set(hits.map(\.topicId)).count == hits.count, "one hit per topic", sourceLocation: sourceLocation)
    }

    @Test(arguments: ContractBackend.all)
    func everyWordMustMatchAsAPrefix(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let both = try g.store.post(kind: .idea, title: "Pairing", body: "pairing on swift testing", by: "ana", now: G.at(0))
        try g.store.post(kind: .idea, title: "Only one", body: "swift is nice", by: "ana", now: G.at(1))
        let onboarding = try g.store.post(kind: .idea, title: "Onboarding checklist", body: "x", by: "bo", now: G.at(2))
        #expect(try g.store.search("swift testing").map(\.topicId) == [both.topic])
        #expect(try g.store.search("swi test").map(\.topicId) == [both.topic])
        #expect(try g.store.search("onboard check").map(\.topicId) == [onboarding.topic])
        #expect(try g.store.search("ONBOARDING").map(\.topicId) == [onboarding.topic])
        #expect(try g.store.search("swift nonexistentword").isEmpty)
        #expect(try g.store.search("boarding").isEmpty, "a word matches from its start, not inside")
        #expect(Set(try g.store.search("swift").map(\.topicId)).count == 2)
    }

    @Test(arguments: ContractBackend.all)
    func commonWordsDoNotHideAMatch(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let crm = try g.store.post(kind: .request, title: "Moving to a new CRM", body: "Any tips?", by: "ana", now: G.at(0))
        #expect(try g.store.search("the new CRM").map(\.topicId) == [crm.topic])
        let only = try g.store.post(kind: .idea, title: "To be or not", body: "that is it", by: "bo", now: G.at(1))
        #expect(try g.store.search("to be").map(\.topicId) == [only.topic])
    }

    @Test(arguments: ContractBackend.all)
    func aTitleMatchOutranksABodyMatch(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let body = try g.store.post(kind: .idea, title: "Monthly talks", body: "We could cover kubernetes upgrades here.", by: "ana", now: G.at(0))
        let title = try g.store.post(kind: .request, title: "Kubernetes upgrades", body: "Who has done one?", by: "bo", now: G.at(1))
        let hits = try g.store.search("kubernetes")
        #expect(hits.map(\.topicId) == [title.topic, body.topic])
        #expect(hits.first?.postId == nil)
        #expect(hits.first?.title == "Kubernetes upgrades")
        #expect(hits.first?.kind == .request)
        #expect(hits.last?.postId == body.post)
        #expect(hits.last?.snippet.lowercased().contains("kubernetes") == true)
        Self.expectBestFirst(hits)
    }

    /// The same promise when the word is common among titles and rare among posts: a person who searches for
    /// "onboarding" expects the topics about onboarding first, not a post that mentions it in passing.
    @Test(arguments: ContractBackend.all)
    func titleMatchesComeFirstHoweverCommonTheWordIsInTitles(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let checklist = try g.store.post(kind: .resource, title: "Onboarding checklist", body: "A list for the first week.", by: "ana", now: G.at(0))
        let buddies = try g.store.post(kind: .idea, title: "Onboarding buddies", body: "Pair each newcomer with a peer.", by: "bo", now: G.at(1))
        let talks = try g.store.post(kind: .idea, title: "Monthly talks", body: "Topics for the talks.", by: "ana", now: G.at(2))
        for i in 0..<6 {
            try g.store.reply(topic: talks.topic, parent: nil, body: "Suggestion \(i): a talk about pricing", by: "bo", now: G.at(Double(3 + i)))
        }
        let mention = try g.store.reply(topic: talks.topic, parent: nil, body: "Maybe one on onboarding too.", by: "cham", now: G.at(10))
        let hits = try g.store.search("onboarding")
        #expect(Set(hits.map(\.topicId)) == [checklist.topic, buddies.topic, talks.topic])
        expectKnownIssue(.titleRankDependsOnWordFrequency, on: backend) {
            #expect(hits.last?.topicId == talks.topic, """
                title matches [\(checklist.topic), \(buddies.topic)] must outrank the body-only match \(talks.topic) \
                (post \(mention)); got \(hits.map { "\($0.topicId) (\($0.postId.map { "post \($0)" } ?? "title"), relevance \($0.relevance))" })
                """)
        }
        Self.expectBestFirst(hits)
    }

    @Test(arguments: ContractBackend.all)
    func resultsAreBestFirstOnePerTopicAndRepliesAreFound(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let t = try g.store.post(kind: .idea, title: "Budget", body: "spreadsheet", by: "ana", now: G.at(0))
        let r = try g.store.reply(topic: t.topic, parent: nil, body: "my spreadsheet template", by: "bo", now: G.at(1))
        for i in 0..<5 {
            try g.store.post(kind: .idea, title: "Planning \(i)", body: "a spreadsheet for \(i) and more words to make it longer", by: "bo", now: G.at(Double(2 + i)))
        }
        let hits = try g.store.search("spreadsheet")
        #expect(hits.count == 6)
        Self.expectBestFirst(hits)
        #expect(try g.store.search("template").map(\.postId) == [r])
        #expect(try g.store.search("spreadsheet", limit: 2).count == 2)
        #expect(try g.store.search("spreadsheet", limit: 2).map(\.topicId) == hits.prefix(2).map(\.topicId))
        #expect(try g.store.search("spreadsheet", snippets: false).map(\.topicId) == hits.map(\.topicId))
    }

    @Test(arguments: ContractBackend.all)
    func hiddenPostsAreNotFound(_ backend: ContractBackend) throws {
        let g = try G(backend)
        let t = try g.store.post(kind: .idea, title: "Team lunch", body: "Where shall we eat?", by: "ana", now: G.at(0))
        let rude = try g.store.reply(topic: t.topic, parent: nil, body: "Somewhere without zebracorns", by: "bo", now: G.at(1))
        #expect(try g.store.search("zebracorns").map(\.postId) == [rude])
        let flag = try g.store.flag(post: rude, reason: "rude", by: "ana", now: G.at(2))
        try g.store.resolveFlag(flag, hide: true, reason: "not kind", by: "cham", now: G.at(3))
        #expect(try g.store.search("zebracorns").isEmpty)
        #expect(try g.store.search("lunch").map(\.topicId) == [t.topic])   // the topic itself still is

        // A kept post stays findable.
        let fine = try g.store.reply(topic: t.topic, parent: nil, body: "The quokka cafe", by: "cara", now: G.at(4))
        let other = try g.store.flag(post: fine, reason: "ad?", by: "bo", now: G.at(5))
        try g.store.resolveFlag(other, hide: false, reason: "fine", by: "cham", now: G.at(6))
        #expect(try g.store.search("quokka").map(\.postId) == [fine])
    }

    @Test(arguments: ContractBackend.all)
    func anEmptyQueryIsRefusedPunctuationFindsNothing(_ backend: ContractBackend) throws {
        let g = try G(backend)
        try g.store.post(kind: .idea, title: "Anything", body: "at all", by: "ana", now: G.at(0))
        expectRefused(exitCode: 2) { _ = try g.store.search("   ") }
        #expect(try g.store.search("\"*)(").isEmpty)
        #expect(try g.store.search("nothing-like-it").isEmpty)
    }
}
