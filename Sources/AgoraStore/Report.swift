import AgoraCore
import Foundation
import GRDB

extension SQLiteStore {
    /// The leader's report from `since` to `now` (leader only).
    public func report(since: Date, by login: String, now: Date) throws -> LeaderReport {
        try read { db in
            let (program, _) = try authorize(db, login, .viewReport)
            var report = LeaderReport.compute(try reportFacts(db, since: since), since: since, now: now,
                                              unansweredHours: program.unansweredHours)
            report.trends = try tagTrends(db, now: now)
            return report
        }
    }

    func reportFacts(_ db: Database, since: Date) throws -> ReportFacts {
        let peers = try Peer.fetchAll(db)
        let topics = try Row.fetchAll(db, sql: """
            SELECT topic.kind, topic.author, topic.created, topic.status, topic.answerCount, topic.noAnswerNeeded,
                   (SELECT min(created) FROM post WHERE post.topicId = topic.id AND post.author != topic.author) AS firstReply,
                   (SELECT created FROM post WHERE post.id = topic.acceptedPostId) AS acceptedAnswer
            FROM topic WHERE topic.created >= ?
            """, arguments: [since.stored]).map { r in
            try ReportFacts.TopicFact(kind: TopicKind(rawValue: r["kind"]) ?? .discussion, author: r["author"], created: try r.date("created"),
                                  status: TopicStatus(rawValue: r["status"]) ?? .open, answerCount: r["answerCount"],
                                  noAnswerNeeded: r["noAnswerNeeded"], firstReply: try r.optionalDate("firstReply"),
                                  acceptedAnswer: try r.optionalDate("acceptedAnswer"))
        }
        let posts = try Row.fetchAll(db, sql: """
            SELECT post.author, topic.author AS topicAuthor, post.created FROM post JOIN topic ON topic.id = post.topicId
            WHERE post.created >= ?
            """, arguments: [since.stored]).map { r in
            try ReportFacts.PostFact(author: r["author"], topicAuthor: r["topicAuthor"], created: r.date("created"))
        }
        let highlights = try Row.fetchAll(db, sql: "SELECT created FROM highlight WHERE created >= ?", arguments: [since.stored])
            .map { try $0.date("created") }
        let testimonials = try Row.fetchAll(db, sql: "SELECT created, shareable FROM testimonial WHERE created >= ?", arguments: [since.stored])
            .map { (created: try $0.date("created"), shareable: $0["shareable"] as Bool) }
        return ReportFacts(peers: peers, topics: topics, posts: posts, highlights: highlights, testimonials: testimonials)
    }
}
