import AgoraCore
import Foundation
import GRDB

/// The whole program, for `agora export`. Testimonials only when their author agreed to share them.
public struct ProgramExport: Encodable, Sendable {
    public var program: Program
    public var peers: [Peer]
    public var topics: [ExportedTopic]
    public var highlights: [Highlight]
    public var testimonials: [Testimonial]

    public struct ExportedTopic: Encodable, Sendable {
        public var topic: Topic
        public var tags: [String]
        public var posts: [Post]
    }
}

extension AgoraDatabase {
    public func export(by login: String) throws -> ProgramExport {
        try read { db in
            let (program, _) = try authorize(db, login, .read)
            let peers = try Peer.order(sql: "login").fetchAll(db)
            var tagsByTopic: [Int64: [String]] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT topicId, tag FROM topicTag ORDER BY tag") {
                tagsByTopic[r["topicId"], default: []].append(r["tag"])
            }
            var postsByTopic: [Int64: [Post]] = [:]
            for p in try Post.filter(sql: "hidden = 0").order(sql: "id").fetchAll(db) { postsByTopic[p.topicId, default: []].append(p) }
            let topics = try Topic.order(sql: "id").fetchAll(db).map { t in
                ProgramExport.ExportedTopic(topic: t, tags: tagsByTopic[t.id!] ?? [], posts: postsByTopic[t.id!] ?? [])
            }
            return ProgramExport(program: program, peers: peers, topics: topics,
                                 highlights: try Highlight.order(sql: "id").fetchAll(db),
                                 testimonials: try Testimonial.filter(sql: "shareable = 1").order(sql: "id").fetchAll(db))
        }
    }
}
