import Foundation

/// A possible mentor for a peer, with what the store knows about their load and activity.
public struct MatchCandidate: Sendable {
    public var peer: Peer
    /// Open requests (not resolved) this person is helping with: replies to someone else's request.
    public var openRequests: Int
    /// Their latest post, if any.
    public var lastActive: Date?
    public init(peer: Peer, openRequests: Int = 0, lastActive: Date? = nil) {
        self.peer = peer
        self.openRequests = openRequests
        self.lastActive = lastActive
    }
}

public struct MatchSuggestion: Codable, Equatable, Sendable {
    public var login: String
    public var name: String
    public var score: Int
    /// Their offers that meet the seeker's goals, in their words.
    public var offers: [String]
    /// Why, in order: "offers: SQL", "other unit", "2 open requests", ...
    public var reasons: [String]

    public init(login: String, name: String, score: Int, offers: [String], reasons: [String]) {
        self.login = login
        self.name = name
        self.score = score
        self.offers = offers
        self.reasons = reasons
    }

    public var explanation: String { reasons.joined(separator: " · ") }
}

/// Who could help whom. Pure: the store gathers candidates, this ranks them.
///
/// The program exists to cross units, regions and generations, so a match on offers comes first,
/// and crossing a boundary, being active and not being overloaded break the ties.
public enum Matching {
    public static let activeDays = 30.0

    static let stopWords: Set<String> = ["and", "or", "the", "a", "an", "of", "to", "in", "on", "for", "with", "my", "how",
                                         "at", "by", "be", "is", "it", "as", "about", "more", "better", "learn", "learning",
                                         "get", "getting", "want", "some", "skills"]

    /// Lower-cased words of a phrase, without the stop words.
    public static func words(_ s: String) -> Set<String> {
        let parts = s.lowercased().split { ch in !(ch.isLetter || ch.isNumber || ch == "+" || ch == "#") }
        return Set(parts.map(String.init).filter { !stopWords.contains($0) && ($0.count > 1 || $0.unicodeScalars.first!.value > 0x2E80) })
    }

    /// The phrases of an offers/goals field: split at commas, semicolons and new lines.
    public static func phrases(_ s: String) -> [String] {
        s.split { $0 == "," || $0 == ";" || $0 == "\n" }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    public static func suggest(for seeker: Peer, among candidates: [MatchCandidate], now: Date, limit: Int = 5) -> [MatchSuggestion] {
        let wanted = words(seeker.goals)
        var out: [(MatchSuggestion, Int)] = []
        for c in candidates where c.peer.login != seeker.login && !c.peer.isAlumni {
            let p = c.peer
            var seen = Set<String>()
            let matched = phrases(p.offers).filter { !words($0).isDisjoint(with: wanted) && seen.insert($0.lowercased()).inserted }
            guard !matched.isEmpty else { continue }
            var score = 10 * matched.count
            var reasons = ["offers: " + matched.joined(separator: ", ")]
            func differs(_ a: String, _ b: String) -> Bool {
                !a.isEmpty && !b.isEmpty && a.caseInsensitiveCompare(b) != .orderedSame
            }
            if differs(p.unit, seeker.unit) { score += 3; reasons.append("other unit") }
            if differs(p.region, seeker.region) { score += 2; reasons.append("other region") }
            if differs(p.generation, seeker.generation) { score += 2; reasons.append("other generation") }
            if let last = c.lastActive, now.timeIntervalSince(last) < activeDays * 86400 {
                score += 2
                reasons.append("active \(RelativeAge.short(last, now: now)) ago")
            } else {
                score -= 2
                reasons.append(c.lastActive == nil ? "no posts yet" : "quiet for \(RelativeAge.short(c.lastActive!, now: now))")
            }
            score -= min(c.openRequests, 5) * 2
            reasons.append(c.openRequests == 0 ? "no open requests" : "\(c.openRequests) open request\(c.openRequests == 1 ? "" : "s")")
            out.append((MatchSuggestion(login: p.login, name: p.name, score: score, offers: matched, reasons: reasons), c.openRequests))
        }
        return out.sorted { a, b in
            if a.0.score != b.0.score { return a.0.score > b.0.score }
            if a.1 != b.1 { return a.1 < b.1 }
            return a.0.login < b.0.login
        }.prefix(max(0, limit)).map(\.0)
    }
}
