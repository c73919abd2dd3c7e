import AgoraCore
import Foundation
import GRDB


/// Capturing value: highlights (what made a discussion worth it) and testimonials.
extension SQLiteStore {
    @discardableResult
    public func highlight(topic topicId: Int64, post postId: Int64? = nil, why: String, by login: String, now: Date) throws -> Int64 {
        let why = try Limits.shortText(why, field: "why")
        if why.isEmpty { throw AgoraError.invalid("say in a sentence what made it valuable", hint: "--why TEXT") }
        return try write { db in
            try authorize(db, login, .highlight)
            guard try Topic.fetchOne(db, key: topicId) != nil else {
                throw AgoraError.notFound("topic", "\(topicId)", hint: "see 'agora topics'")
            }
            if let postId {
                let inTopic = try Int64.fetchOne(db, sql: "SELECT topicId FROM post WHERE id = ?", arguments: [postId])
                guard inTopic == topicId else {
                    throw AgoraError.notFound("post", "\(postId) in topic \(topicId)", hint: "see 'agora show \(topicId)'")
                }
            }
            var h = Highlight(topicId: topicId, postId: postId, by: login, why: why, created: now)
            try h.insert(db)
            try audit(db, now, login, "highlight", postId.map { "post:\($0)" } ?? "topic:\(topicId)", why)
            try record(db, .highlight, topic: topicId, post: postId)
            return h.id!
        }
    }

    /// Highlights, newest first.
    public func highlights(limit: Int = 200) throws -> [HighlightSummary] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT highlight.*, topic.title AS topicTitle, COALESCE(peer.name, highlight.by) AS byName
                FROM highlight JOIN topic ON topic.id = highlight.topicId LEFT JOIN peer ON peer.login = highlight.by
                ORDER BY highlight.created DESC, highlight.id DESC LIMIT ?
                """, arguments: [limit]).map { r in
                HighlightSummary(highlight: try Highlight(row: r), topicTitle: r["topicTitle"], byName: r["byName"])
            }
        }
    }

    @discardableResult
    public func addTestimonial(_ text: String, shareable: Bool, by login: String, now: Date) throws -> Int64 {
        let text = try Limits.body(text)
        return try write { db in
            try authorize(db, login, .writeTestimonial)
            var t = Testimonial(by: login, text: text, shareable: shareable, created: now)
            try t.insert(db)
            try audit(db, now, login, "testimonial.add", "testimonial:\(t.id!)", shareable ? "shareable" : "private")
            try record(db, .highlight)
            return t.id!
        }
    }

    /// Testimonials `login` may read, newest first: the leader sees all, others the shareable ones and their own.
    public func testimonials(for login: String) throws -> [Testimonial] {
        try read { db in
            let (program, me) = try authorize(db, login, .read)
            if Policy.allows(me, .viewReport, in: program) {
                return try Testimonial.order(sql: "created DESC, id DESC").fetchAll(db)
            }
            return try Testimonial.filter(sql: "shareable = 1 OR by = ?", arguments: [login])
                .order(sql: "created DESC, id DESC").fetchAll(db)
        }
    }
}
