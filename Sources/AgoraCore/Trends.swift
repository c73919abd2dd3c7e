import Foundation

/// A tag's use in new topics over the last 30 days against the 30 before.
public struct TagTrend: Codable, Equatable, Sendable {
    public var tag: String
    public var recent: Int
    public var previous: Int
    public init(tag: String, recent: Int, previous: Int) {
        self.tag = tag
        self.recent = recent
        self.previous = previous
    }

    public var change: Int { recent - previous }
    /// "▲" rising, "▼" falling, "=" steady.
    public var arrow: String { change > 0 ? "▲" : (change < 0 ? "▼" : "=") }
}

public enum Trends {
    public static let windowDays = 30

    /// Counts each tag's topics in the two windows ending at `now`; biggest movers first (rising before falling
    /// at equal size), then by recent use. Tags used in neither window are left out.
    public static func compute(_ tagged: [(tag: String, created: Date)], now: Date) -> [TagTrend] {
        let window = Double(windowDays) * 86400
        let recentStart = now.addingTimeInterval(-window)
        let previousStart = now.addingTimeInterval(-2 * window)
        var counts: [String: (recent: Int, previous: Int)] = [:]
        for (tag, created) in tagged where created <= now {
            if created > recentStart {
                counts[tag, default: (0, 0)].recent += 1
            } else if created > previousStart {
                counts[tag, default: (0, 0)].previous += 1
            }
        }
        return counts.map { TagTrend(tag: $0.key, recent: $0.value.recent, previous: $0.value.previous) }
            .sorted {
                if abs($0.change) != abs($1.change) { return abs($0.change) > abs($1.change) }
                if $0.change != $1.change { return $0.change > $1.change }
                if $0.recent != $1.recent { return $0.recent > $1.recent }
                return $0.tag < $1.tag
            }
    }
}
