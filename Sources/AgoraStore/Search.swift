import AgoraCore
import Foundation
import GRDB

public struct SearchHit: Codable, Equatable, Sendable {
    public var topicId: Int64
    public var postId: Int64?
    public var title: String
    public var kind: TopicKind
    /// A few words around the match, from the post body (empty for a title match).
    public var snippet: String
    /// bm25 score: lower is better.
    public var rank: Double
}

extension AgoraDatabase {
    /// Full-text search over titles and bodies, best first, one hit per topic.
    /// Every word must match (as a prefix); a title match outranks a body match.
    public func search(_ query: String, limit: Int = 50) throws -> [SearchHit] {
        let trimmed = query.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw AgoraError.invalid("the search is empty", hint: "give one or more words") }
        guard let pattern = FTS5Pattern(matchingAllPrefixesIn: trimmed) else { return [] }
        return try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT topicId, postId, title, kind, snippet, min(rank) AS rank FROM (
                  SELECT topic.id AS topicId, NULL AS postId, topic.title, topic.kind, '' AS snippet,
                         bm25(topicFts) * 2.0 AS rank
                  FROM topicFts JOIN topic ON topic.id = topicFts.rowid
                  WHERE topicFts MATCH ?
                  UNION ALL
                  SELECT * FROM (
                    SELECT post.topicId, post.id, topic.title, topic.kind,
                           snippet(postFts, 0, '', '', '…', 12), bm25(postFts) AS rank
                    FROM postFts JOIN post ON post.id = postFts.rowid JOIN topic ON topic.id = post.topicId
                    WHERE postFts MATCH ? AND post.hidden = 0
                    ORDER BY rank LIMIT ?
                  )
                ) GROUP BY topicId ORDER BY rank LIMIT ?
                """, arguments: [pattern, pattern, limit * 4, limit])
            return rows.map { r in
                SearchHit(topicId: r["topicId"], postId: r["postId"], title: r["title"],
                          kind: TopicKind(rawValue: r["kind"]) ?? .discussion, snippet: r["snippet"], rank: r["rank"])
            }
        }
    }
}
