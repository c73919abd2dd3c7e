import AgoraCore
import Foundation
import GRDB

extension SQLiteStore {
    /// Suggested peers for `login`, best first (see `Matching`).
    public func matches(for login: String, by actor: String, now: Date, limit: Int = 5) throws -> [MatchSuggestion] {
        try read { db in
            try authorize(db, actor, .read)
            let seeker = try requirePeer(db, login)
            if Matching.words(seeker.goals).isEmpty {
                throw AgoraError("\(login) has no goals on their profile, so there is nothing to match",
                                 hint: "add some with 'agora profile edit --goals \"SQL, public speaking\"'\(login == actor ? "" : " --login \(login)")")
            }
            let peers = try Peer.filter(sql: "left IS NULL AND login != ?", arguments: [login]).fetchAll(db)
            var open: [String: Int] = [:]
            for r in try Row.fetchAll(db, sql: """
                SELECT post.author AS login, count(DISTINCT topic.id) AS n FROM topic JOIN post ON post.topicId = topic.id
                WHERE topic.kind = 'request' AND topic.status != 'resolved' AND post.author != topic.author
                GROUP BY post.author
                """) { open[r["login"]] = r["n"] }
            var last: [String: Date] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT author, max(created) AS at FROM post GROUP BY author") { last[r["author"]] = try r.optionalDate("at") }
            let candidates = peers.map { MatchCandidate(peer: $0, openRequests: open[$0.login] ?? 0, lastActive: last[$0.login]) }
            return Matching.suggest(for: seeker, among: candidates, now: now, limit: limit)
        }
    }
}
