import AgoraCore
import GRDB

extension Program: FetchableRecord, PersistableRecord {}
extension Peer: FetchableRecord, PersistableRecord {
    /// Decoded by hand: GRDB's Codable decoder costs ~10x more per row, and the directory, the queue and the
    /// topic list decode thousands of rows per reload (10k peers: 41 ms through Codable).
    public init(row: Row) throws {
        self.init(login: row["login"], name: row["name"], unit: row["unit"], region: row["region"],
                  generation: row["generation"], role: try Self.decode(PeerRole.self, row["role"], "role"),
                  goals: row["goals"], offers: row["offers"], bio: row["bio"], joined: row["joined"], left: row["left"],
                  rulesAckVersion: row["rulesAckVersion"], welcomedBy: row["welcomedBy"], welcomedAt: row["welcomedAt"])
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
extension Topic: FetchableRecord, MutablePersistableRecord {
    public init(row: Row) throws {
        self.init(id: row["id"], kind: try Self.decode(TopicKind.self, row["kind"], "kind"), title: row["title"],
                  author: row["author"], status: try Self.decode(TopicStatus.self, row["status"], "status"),
                  created: row["created"], lastActivity: row["lastActivity"], postCount: row["postCount"],
                  answerCount: row["answerCount"], lastPostId: row["lastPostId"], noAnswerNeeded: row["noAnswerNeeded"],
                  followUp: row["followUp"], template: row["template"])
    }
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
extension Post: FetchableRecord, MutablePersistableRecord {
    public init(row: Row) throws {
        self.init(id: row["id"], topicId: row["topicId"], parentId: row["parentId"], author: row["author"], body: row["body"],
                  created: row["created"], edited: row["edited"], hidden: row["hidden"])
    }
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
extension ReadState: FetchableRecord, PersistableRecord {}
extension PostFlag: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "flag"
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
extension Highlight: FetchableRecord, MutablePersistableRecord {
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
extension Testimonial: FetchableRecord, MutablePersistableRecord {
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
extension Draft: FetchableRecord, PersistableRecord {}
extension AuditEvent: FetchableRecord, MutablePersistableRecord {
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
