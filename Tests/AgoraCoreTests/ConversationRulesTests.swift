import AgoraCore
import Foundation
import Testing

/// The rules every store applies alike: what a reply does, how a topic starts, who may settle it.
@Suite struct ConversationRulesTests {
    let now = Date(timeIntervalSince1970: 1_795_687_200)
    var topic: Topic { Topic(id: 7, kind: .request, title: "Help with SQL", author: "ana", created: now, postCount: 1, lastPostId: 70) }
    let program = Program(name: "Circle", purpose: "", created: Date(timeIntervalSince1970: 1_795_000_000))

    @Test func aReplyBySomeoneElseAnswersTheTopicAndCountsAsAnAnswer() {
        let r = Conversation.reply(to: topic, postId: 71, by: "bo", now: now.addingTimeInterval(60))
        #expect(r.topic.postCount == 2 && r.topic.answerCount == 1 && r.topic.lastPostId == 71)
        #expect(r.topic.status == .answered)
        #expect(r.topic.lastActivity == now.addingTimeInterval(60))
        #expect(r.touchedClaim == "topic:7")
        #expect(r.settledDrafts(parent: 70) == ["topic:7", "topic:7/post:70"])
        #expect(r.settledDrafts(parent: nil) == ["topic:7"])
    }

    @Test func theAuthorsOwnReplyIsNoAnswerAndAResolvedTopicStaysResolved() {
        let own = Conversation.reply(to: topic, postId: 71, by: "ana", now: now)
        #expect(own.topic.answerCount == 0 && own.topic.status == .open)
        var resolved = topic
        resolved.status = .resolved
        #expect(Conversation.reply(to: resolved, postId: 71, by: "bo", now: now).topic.status == .resolved)
    }

    @Test func aTemplateTopicComesBackAfterItsFollowUpDaysAndFarDatesAreRefused() throws {
        let t = TopicTemplate(name: "circle", sections: ["Goal"], followUpDays: 14)
        let made = try Conversation.newTopic(kind: .discussion, title: "Circle", by: "ana", now: now, template: t, followUp: nil)
        #expect(made.followUp == now.addingTimeInterval(14 * 86400))
        #expect(made.template == "circle" && made.postCount == 1 && made.lastActivity == now)
        #expect(throws: AgoraError.self) {
            try Conversation.newTopic(kind: .idea, title: "Later", by: "ana", now: now, template: nil,
                                      followUp: now.addingTimeInterval(11 * 365 * 86400))
        }
    }

    @Test func onlyTheAuthorOrAChampionSettlesATopic() throws {
        let author = Peer(login: "ana", name: "Ana", joined: now)
        let other = Peer(login: "bo", name: "Bo", joined: now)
        let champion = Peer(login: "cy", name: "Cy", role: .champion, joined: now)
        #expect(try Conversation.setStatus(topic, .resolved, by: author, in: program).topic.status == .resolved)
        #expect(try Conversation.setStatus(topic, .resolved, by: champion, in: program).settledClaim == "topic:7")
        #expect(throws: AgoraError.self) { try Conversation.setStatus(topic, .resolved, by: other, in: program) }
    }
}
