import AgoraCore
import Foundation
import GRDB


extension SQLiteStore {
    public func export(by login: String) throws -> ProgramExport {
        try read { db in
            let (program, _) = try authorize(db, login, .read)
            let peers = try Peer.order(sql: "login").fetchAll(db)
            var tagsByTopic: [Int64: [String]] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT topicId, tag FROM topicTag ORDER BY tag") {
                tagsByTopic[r["topicId"], default: []].append(r["tag"])
            }
            var postsByTopic: [Int64: [Post]] = [:]
            for p in try Post.filter(sql: "hidden = 0 AND deleted = 0").order(sql: "id").fetchAll(db) { postsByTopic[p.topicId, default: []].append(p) }
            let topics = try Topic.order(sql: "id").fetchAll(db).map { t in
                ProgramExport.ExportedTopic(topic: t, tags: tagsByTopic[t.id!] ?? [], posts: postsByTopic[t.id!] ?? [])
            }
            return ProgramExport(program: program, peers: peers, topics: topics,
                                 highlights: try Highlight.order(sql: "id").fetchAll(db),
                                 testimonials: try Testimonial.filter(sql: "shareable = 1").order(sql: "id").fetchAll(db))
        }
    }
}
