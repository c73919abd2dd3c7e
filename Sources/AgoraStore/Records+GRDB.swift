import AgoraCore
import GRDB

// Every table name is spelled out: GRDB derives a default one with a regular expression, which loads ICU.
extension Program: FetchableRecord, PersistableRecord, StoredDates {
    public static let databaseTableName = "program"
}
extension Peer: FetchableRecord, PersistableRecord, StoredDates {
    public static let databaseTableName = "peer"
    /// Decoded by hand: GRDB's Codable decoder costs ~10x more per row, and the directory, the queue and the
    /// topic list decode thousands of rows per reload (10k peers: 41 ms through Codable).
    public init(row: Row) throws {
        self.init(login: row["login"], name: row["name"], unit: row["unit"], region: row["region"],
                  generation: row["generation"], role: try Self.decode(PeerRole.self, row["role"], "role"),
                  goals: row["goals"], offers: row["offers"], bio: row["bio"], joined: try row.date("joined"), left: try row.optionalDate("left"),
                  rulesAckVersion: row["rulesAckVersion"], welcomedBy: row["welcomedBy"], welcomedAt: try row.optionalDate("welcomedAt"),
                  hidesPresence: row["hidesPresence"])
    }
}

extension FetchableRecord {
    static func decode<E: RawRepresentable>(_ type: E.Type, _ raw: E.RawValue, _ column: String) throws -> E {
        guard let value = E(rawValue: raw) else {
            throw AgoraError("the database holds an unknown \(column) '\(raw)'", hint: "was it written by a newer agora?")
        }
        return value
    }
}
extension Topic: FetchableRecord, MutablePersistableRecord, StoredDates {
    public static let databaseTableName = "topic"
    public init(row: Row) throws {
        self.init(id: row["id"], kind: try Self.decode(TopicKind.self, row["kind"], "kind"), title: row["title"],
                  author: row["author"], status: try Self.decode(TopicStatus.self, row["status"], "status"),
                  created: try row.date("created"), lastActivity: try row.date("lastActivity"), postCount: row["postCount"],
                  answerCount: row["answerCount"], lastPostId: row["lastPostId"], noAnswerNeeded: row["noAnswerNeeded"],
                  followUp: try row.optionalDate("followUp"), template: row["template"])
        // Absent from a row that names its columns (nil then), like any column added later.
        acceptedPostId = row.hasColumn("acceptedPostId") ? row["acceptedPostId"] : nil
    }
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
extension Post: FetchableRecord, MutablePersistableRecord, StoredDates {
    public static let databaseTableName = "post"
    public init(row: Row) throws {
        self.init(id: row["id"], topicId: row["topicId"], parentId: row["parentId"], author: row["author"], body: row["body"],
                  created: try row.date("created"), edited: try row.optionalDate("edited"), hidden: row["hidden"],
                  deleted: row["deleted"] ?? false)
    }
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
extension ReadState: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "readState"
    public init(row: Row) throws {
        self.init(login: row["login"], topicId: row["topicId"], lastReadPostId: row["lastReadPostId"])
    }
    public func encode(to container: inout PersistenceContainer) throws {
        container["login"] = login
        container["topicId"] = topicId
        container["lastReadPostId"] = lastReadPostId
    }
}
extension PostFlag: FetchableRecord, MutablePersistableRecord, StoredDates {
    public static let databaseTableName = "flag"
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
extension Highlight: FetchableRecord, MutablePersistableRecord, StoredDates {
    public static let databaseTableName = "highlight"
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
extension Testimonial: FetchableRecord, MutablePersistableRecord, StoredDates {
    public static let databaseTableName = "testimonial"
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
extension Draft: FetchableRecord, PersistableRecord, StoredDates {
    public static let databaseTableName = "draft"
}
extension AuditEvent: FetchableRecord, MutablePersistableRecord, StoredDates {
    public static let databaseTableName = "auditEvent"
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
