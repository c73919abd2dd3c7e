import AgoraCore
import GRDB

extension Program: FetchableRecord, PersistableRecord {}
extension Peer: FetchableRecord, PersistableRecord {}
extension Topic: FetchableRecord, MutablePersistableRecord {
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
extension Post: FetchableRecord, MutablePersistableRecord {
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
