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
    /// `snippets: false` skips making the text excerpts (the TUI lists topics, not excerpts); making them
    /// reads and tokenizes every candidate post, most of a search's cost for a common word.
    public func search(_ query: String, limit: Int = 50, snippets: Bool = true) throws -> [SearchHit] {
        let trimmed = query.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw AgoraError.invalid("the search is empty", hint: "give one or more words") }
        guard let pattern = FTS5Pattern(matchingAllPrefixesIn: trimmed) else { return [] }
        return try read { db in
            // `ORDER BY rank LIMIT n` on the FTS table itself lets FTS5 hand back only the best rows, and the
            // snippet is made for those alone. Ordering the joined rows by bm25() instead made SQLite score and
            // snippet every match first: 100-400 ms for a common word over a million posts.
            let rows = try Row.fetchAll(db, sql: """
                SELECT topicId, postId, title, kind, snippet, min(score) AS score FROM (
                  SELECT topic.id AS topicId, NULL AS postId, topic.title, topic.kind, '' AS snippet, t.score * 2.0 AS score
                  FROM (SELECT rowid, rank AS score FROM topicFts WHERE topicFts MATCH ? ORDER BY rank LIMIT ?) AS t
                  JOIN topic ON topic.id = t.rowid
                  UNION ALL
                  SELECT post.topicId, post.id, topic.title, topic.kind, p.snip, p.score
                  FROM (SELECT rowid, rank AS score, \(snippets ? "snippet(postFts, 0, '', '', '…', 12)" : "''") AS snip
                        FROM postFts WHERE postFts MATCH ? ORDER BY rank LIMIT ?) AS p
                  JOIN post ON post.id = p.rowid JOIN topic ON topic.id = post.topicId
                  WHERE post.hidden = 0
                ) GROUP BY topicId ORDER BY score LIMIT ?
                """, arguments: [pattern, limit * 4, pattern, limit * 4, limit])
            return rows.map { r in
                SearchHit(topicId: r["topicId"], postId: r["postId"], title: r["title"],
                          kind: TopicKind(rawValue: r["kind"]) ?? .discussion, snippet: r["snippet"], rank: r["score"])
            }
        }
    }
}
