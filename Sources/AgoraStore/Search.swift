import AgoraCore
import Foundation
import GRDB


extension SQLiteStore {
    /// How many of the newest matches of a query are ranked. bm25 reads every ranked row's length, so ranking
    /// all matches of a common word (tens of thousands in a million posts) took 50-150 ms; the newest 2,000
    /// take a few. A query matching more than this finds the best of the recent ones: refine it for older.
    public static let searchWindow = 2000

    /// Words that match nearly every post: left out of a query that has other words ("the new CRM" is
    /// "new CRM"), kept when they are all there is.
    static let stopWords: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "i", "in", "is", "it",
        "its", "of", "on", "or", "our", "so", "that", "the", "this", "to", "was", "we", "were", "will", "with", "you", "your",
    ]

    /// The query as FTS5 words: letters and digits, stop words dropped when other words remain.
    static func searchWords(_ query: String) -> [String] {
        let words = query.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        let kept = words.filter { !stopWords.contains($0.lowercased()) }
        return kept.isEmpty ? words : kept
    }

    /// Title matches first, then body matches; within each, bm25 (negative, lower is better). As one number, higher
    /// is better: a title match in [1, 2), a body match in [0, 1). bm25's scale differs between the two tables (a
    /// word in half the titles gets an idf near zero), so the groups are ordered, not their scores compared.
    static func relevance(titleHit: Bool, bm25: Double) -> Double {
        let score = max(0, -bm25)
        return (titleHit ? 1 : 0) + score / (1 + score)
    }

    /// Full-text search over titles and bodies, best first, one hit per topic.
    /// Every word must match (as a prefix); a title match outranks a body match; see `searchWindow`.
    /// `snippets: false` skips making the text excerpts (the TUI lists topics, not excerpts).
    public func search(_ query: String, limit: Int = 50, snippets: Bool = true) throws -> [SearchHit] {
        let trimmed = query.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw AgoraError.invalid("the search is empty", hint: "give one or more words") }
        guard let pattern = FTS5Pattern(matchingAllPrefixesIn: Self.searchWords(trimmed).joined(separator: " ")) else { return [] }
        return try read { db in
            // Each FTS table hands back its newest `searchWindow` matches (it walks its index newest first and
            // stops), scored with bm25; the joins, the grouping by topic and the ordering see those rows only.
            // One aggregate, title rows first (bm25 is far above -1e9): SQLite then takes the bare columns (the post,
            // the score) from the row that won, where two aggregates would take them from either.
            let rows = try Row.fetchAll(db, sql: """
                SELECT topicId, postId, title, kind, titleHit, score, min(score - 1e9 * titleHit) FROM (
                  SELECT topic.id AS topicId, NULL AS postId, topic.title, topic.kind, 1 AS titleHit, t.score
                  FROM (SELECT rowid, bm25(topicFts) AS score FROM topicFts WHERE topicFts MATCH ?
                        ORDER BY rowid DESC LIMIT ?) AS t
                  JOIN topic ON topic.id = t.rowid
                  UNION ALL
                  SELECT post.topicId, post.id, topic.title, topic.kind, 0 AS titleHit, p.score
                  FROM (SELECT rowid, bm25(postFts) AS score FROM postFts WHERE postFts MATCH ?
                        ORDER BY rowid DESC LIMIT ?) AS p
                  JOIN post ON post.id = p.rowid JOIN topic ON topic.id = post.topicId
                  WHERE post.hidden = 0
                ) GROUP BY topicId ORDER BY score - 1e9 * titleHit, topicId DESC LIMIT ?
                """, arguments: [pattern, Self.searchWindow, pattern, Self.searchWindow, limit])
            return try rows.map { r in
                let postId: Int64? = r["postId"]
                var snippet = ""
                if snippets, let postId {
                    // Excerpts for the hits shown only: making one reads and tokenizes the post.
                    snippet = try String.fetchOne(db, sql: """
                        SELECT snippet(postFts, 0, '', '', '…', 12) FROM postFts WHERE postFts MATCH ? AND rowid = ?
                        """, arguments: [pattern, postId]) ?? ""
                }
                return SearchHit(topicId: r["topicId"], postId: postId, title: r["title"],
                                 kind: TopicKind(rawValue: r["kind"]) ?? .discussion, snippet: snippet, relevance: Self.relevance(titleHit: r["titleHit"], bm25: r["score"]))
            }
        }
    }
}
