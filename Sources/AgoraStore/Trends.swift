import AgoraCore
import Foundation
import GRDB

extension SQLiteStore {
    /// Tags rising and falling: topics created in the last 30 days against the 30 before (any member).
    public func tagTrends(by login: String, now: Date) throws -> [TagTrend] {
        try read { db in
            try authorize(db, login, .read)
            return try tagTrends(db, now: now)
        }
    }

    func tagTrends(_ db: Database, now: Date) throws -> [TagTrend] {
        let from = now.addingTimeInterval(-2 * Double(Trends.windowDays) * 86400)
        let rows = try Row.fetchAll(db, sql: """
            SELECT topicTag.tag, topic.created FROM topicTag JOIN topic ON topic.id = topicTag.topicId
            WHERE topic.created > ?
            """, arguments: [from.stored])
        return Trends.compute(try rows.map { (tag: $0["tag"] as String, created: try $0.date("created")) }, now: now)
    }
}
