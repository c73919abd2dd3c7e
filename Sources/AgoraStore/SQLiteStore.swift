import AgoraCore
import Foundation
import GRDB
import GRDBSQLite

/// The program's database: one writer, migrations at open, writes named for what they do.
/// Every write asks `Policy` first and runs in an IMMEDIATE transaction (GRDB 7 default for writes), so two processes never
/// deadlock upgrading a read lock and a busy database waits (busy timeout) instead of failing.
public final class SQLiteStore: Store, @unchecked Sendable {
    let writer: any DatabaseWriter
    /// The file, nil in memory. Only this backend and its change signal know there is a file.
    let path: String?
    /// This connection's name on the changes it writes (`Change.origin`): random, so two sessions of one person,
    /// or two processes with the same pid on two hosts, never take each other's changes for their own.
    public let origin: String = SQLiteStore.newOrigin()

    public var location: String { path ?? "memory" }

    static func newOrigin() -> String {
        var g = SystemRandomNumberGenerator()
        return String(g.next(), radix: 36) + String(g.next(), radix: 36)
    }

    /// Opens (creating if needed) the database at `path`.
    /// `pageCacheKiB` caps SQLite's page cache per connection (default 2 MB each): the TUI, which stays open
    /// and reads little at a time, keeps 512 KiB; the file cache of the system holds the rest.
    public static func open(path: String, pageCacheKiB: Int? = nil) throws -> SQLiteStore {
        try open(path: path, pageCacheKiB: pageCacheKiB, adjust: { _ in })
    }

    /// `open` with the connection configuration adjusted (tests: a busy handler that reports waiting).
    static func open(path: String, pageCacheKiB: Int? = nil, adjust: (inout Configuration) -> Void) throws -> SQLiteStore {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        var isDir: ObjCBool = false
        if !FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) || !isDir.boolValue {
            throw AgoraError("the directory \(dir) does not exist", hint: "create it, or choose another place with --db PATH")
        }
        // Opened rather than access(2): what counts is whether this process can read it, however it got its ids.
        if FileManager.default.fileExists(atPath: path) {
            let fd = Foundation.open(path, O_RDONLY | O_CLOEXEC)
            if fd < 0 && (errno == EACCES || errno == EPERM) {
                throw AgoraError("cannot read \(path): permission denied", hint: "check the file's owner and mode, or use --db PATH")
            }
            if fd >= 0 { close(fd) }
        }
        do {
            try refuseForeign(path)
            var c = configuration(pageCacheKiB: pageCacheKiB)
            adjust(&c)
            let pool = try DatabasePool(path: path, configuration: c)
            // GRDB sets the writer to synchronous = NORMAL when it sets up WAL, after prepareDatabase: in WAL mode
            // that loses the last commits on a power cut. What the program acknowledged must survive one.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            return try SQLiteStore(writer: pool, path: path)
        } catch let e as DatabaseError {
            throw translate(e, path: path)
        }
    }

    /// Another program's SQLite file is never turned into an Agora database, nor a newer Agora's migrated back:
    /// looked at read-only first, since opening it to write already writes to it (WAL mode, GRDB's WAL set-up) and
    /// a damaged file's -wal would be checkpointed into it on the way out. Even an Agora file is looked at so: a
    /// newer agora's, or one with another copy's -wal, must be left exactly as it is.
    static func refuseForeign(_ path: String) throws {
        var st = stat()
        guard stat(path, &st) == 0, st.st_size > 0 else { return }   // a new or empty file becomes a program
        // With no -wal beside it nobody has the file open in WAL mode: looked at as immutable, so that not even an
        // empty -wal and -shm appear beside another program's file (a plain read-only open of a WAL file makes both).
        let look = FileManager.default.fileExists(atPath: path + "-wal") ? "file:\(Self.uriPath(path))?mode=ro"
                                                                          : "file:\(Self.uriPath(path))?mode=ro&immutable=1"
        let (names, applied) = try Self.readOnly(look) { column in
            let names = try column("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
            return (names, names.contains("grdb_migrations") ? Set(try column("SELECT identifier FROM grdb_migrations")) : [])
        }
        // Another GRDB program's first migration may be called v1 too: Agora's own tables must be there.
        let tables = names.count
        let migrated = applied.contains("v1") && ["program", "peer", "post"].allSatisfy(names.contains)
        let superseded = !applied.subtracting(Schema.migrator.migrations).isEmpty
        if tables > 0 && !migrated {
            throw AgoraError("\(path) is not an Agora database (it holds another program's tables): nothing was changed",
                             hint: "choose another file with --db PATH")
        }
        if superseded {
            throw AgoraError("\(path) was written by a newer version of agora: nothing was changed",
                             hint: "use that version (agora --version shows this one's)")
        }
    }

    /// `body` on a read-only connection to `uri` through SQLite's own API, given a function that reads the first
    /// column of a query's rows; the connection waits like any open (the last connection to close a file takes it
    /// for a moment to checkpoint). Not a GRDB queue: releasing one hands its disposal to a libdispatch worker, and
    /// the first worker starts libdispatch's once-a-second pool monitor for the rest of the process, which woke every
    /// idle session once a second.
    static func readOnly<T>(_ uri: String, _ body: (_ column: (String) throws -> [String]) throws -> T) throws -> T {
        var db: OpaquePointer?
        defer { sqlite3_close_v2(db) }
        func failure(_ code: CInt) -> DatabaseError {
            DatabaseError(resultCode: ResultCode(rawValue: db.map(sqlite3_extended_errcode) ?? code),
                          message: db.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) })
        }
        let opened = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nil)
        guard opened == SQLITE_OK else { throw failure(opened) }
        sqlite3_busy_timeout(db, 30_000)
        return try body { sql in
            var statement: OpaquePointer?
            defer { sqlite3_finalize(statement) }
            let prepared = sqlite3_prepare_v2(db, sql, -1, &statement, nil)
            guard prepared == SQLITE_OK else { throw failure(prepared) }
            var out: [String] = []
            while true {
                let step = sqlite3_step(statement)
                if step == SQLITE_DONE { return out }
                guard step == SQLITE_ROW else { throw failure(step) }
                out.append(sqlite3_column_text(statement, 0).map { String(cString: $0) } ?? "")
            }
        }
    }

    /// `path` as the path of a `file:` URI (SQLite reads `?` and `#` as the start of the query, `%` as an escape).
    static func uriPath(_ path: String) -> String {
        path.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "?", with: "%3F").replacingOccurrences(of: "#", with: "%23")
    }

    /// A private database in memory, for tests.
    public static func inMemory() throws -> SQLiteStore {
        try SQLiteStore(writer: DatabaseQueue(configuration: configuration()), path: nil)
    }

    private init(writer: any DatabaseWriter, path: String?) throws {
        self.writer = writer
        self.path = path
        do {
            try Schema.migrator.migrate(writer)
        } catch let e as DatabaseError {
            throw Self.translate(e, path: path)
        }
    }

    static func configuration(pageCacheKiB: Int? = nil) -> Configuration {
        var c = Configuration()
        c.busyMode = .timeout(30)
        c.foreignKeysEnabled = true
        c.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            if let pageCacheKiB { try db.execute(sql: "PRAGMA cache_size = \(-max(64, pageCacheKiB))") }
        }
        return c
    }

    // MARK: - Running work, with errors a person can act on

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try writer.read(body) } catch let e as DatabaseError { throw Self.translate(e, path: path) }
    }

    /// The transaction of the `writeBatch` in progress and the thread running it: writes made inside it (on that
    /// thread) are savepoints of it; a write from any other thread waits for the writer as usual.
    private var batchDatabase: Database?
    private var batchThread: pthread_t?

    public func writeBatch<T>(_ body: () throws -> T) throws -> T {
        if inBatch() != nil { return try body() }
        return try inWriterTransaction { db in
            batchLock.lock()
            (batchDatabase, batchThread) = (db, pthread_self())
            batchLock.unlock()
            defer {
                batchLock.lock()
                (batchDatabase, batchThread) = (nil, nil)
                batchLock.unlock()
            }
            return try body()
        }
    }

    private let batchLock = NSLock()

    /// The batch's database when this thread is running a batch.
    private func inBatch() -> Database? {
        batchLock.lock()
        defer { batchLock.unlock() }
        guard let db = batchDatabase, let t = batchThread, pthread_equal(t, pthread_self()) != 0 else { return nil }
        return db
    }

    func write<T>(_ body: (Database) throws -> T) throws -> T {
        // The stamp is read here, on the caller's thread; GRDB may run the transaction on its writer queue.
        let stamp = Self.stamp ?? origin
        func stamped(_ db: Database) throws -> T {
            writingOrigin = stamp
            defer { writingOrigin = nil }
            return try body(db)
        }
        if let db = inBatch() {
            // Inside a batch (on the writer's queue, which runs the batch's body): a savepoint, so this write fails
            // alone and the others in the batch stay.
            do {
                var result: T?
                try db.inSavepoint {
                    result = try stamped(db)
                    return .commit
                }
                return result!
            } catch let e as DatabaseError { throw Self.translate(e, path: path) }
        }
        return try inWriterTransaction(stamped)
    }

    /// An IMMEDIATE transaction, in line behind other processes' writers first (in the kernel), then SQLite's lock.
    private func inWriterTransaction<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.writeWithoutTransaction { db in
                let queued = writerLock()
                if let queued, !queued.lock(timeout: 30, onWait: onWriterWait) {
                    throw DatabaseError(resultCode: .SQLITE_BUSY)
                }
                defer { queued?.unlock() }
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        } catch let e as DatabaseError { throw Self.translate(e, path: path) }
    }

    /// Called when a write has to wait for another process's (tests: to act while it waits).
    var onWriterWait: (@Sendable () -> Void)?

    /// Opened at the first write (only on the writer's queue), so that opening a database to read creates nothing.
    private var queue: WriterQueue??
    private func writerLock() -> WriterQueue? {
        if let queue { return queue }
        let made = path.flatMap(WriterQueue.init(database:))
        queue = .some(made)
        return made
    }

    /// The origin on the changes of the write in progress (set and read only inside the writer's transaction).
    var writingOrigin: String?
    @TaskLocal static var stamp: String?

    public func stamping<T>(origin: String, _ body: () throws -> T) rethrows -> T {
        try Self.$stamp.withValue(origin, operation: body)
    }

    static func translate(_ e: DatabaseError, path: String?) -> AgoraError {
        let file = path ?? "the database"
        switch e.resultCode {
        case .SQLITE_NOTADB:
            return AgoraError("\(file) is not an Agora database (not SQLite)", hint: "choose another file with --db PATH")
        case .SQLITE_CORRUPT:
            let restore = "restore it from a backup; 'sqlite3 \(file) .recover' may save its contents"
            if let path, let wal = try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int, wal > 0 {
                // The -wal's pages are applied to whatever file sits beside it: one from another copy reads as damage.
                return AgoraError("\(file) is damaged", hint: "if \(path)-wal came from another copy (a restored backup, say), move it aside (keep it: after a crash it holds the last commits) and try again; otherwise \(restore)")
            }
            return AgoraError("\(file) is damaged", hint: restore)
        case .SQLITE_READONLY:
            return AgoraError("\(file) is read-only: nothing was changed", hint: "check the file's and directory's permissions")
        case .SQLITE_CANTOPEN:
            return AgoraError("cannot open \(file)", hint: "check that its directory exists and is writable")
        case .SQLITE_FULL:
            return AgoraError("the disk holding \(file) is full: nothing was changed", hint: "free some space and try again")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return AgoraError("\(file) stayed locked by another process for 30 s: nothing was changed", hint: "try again; if it persists, look for a stuck agora process")
        case .SQLITE_PERM, .SQLITE_AUTH:
            return AgoraError("not allowed to open \(file)", hint: "check its permissions")
        case .SQLITE_IOERR:
            // SQLite often meets a full disk as an I/O error (growing the -shm or the -wal): the filesystem says which.
            if let path, diskIsFull(holding: path) { return translate(DatabaseError(resultCode: .SQLITE_FULL), path: path) }
            return AgoraError("input/output error on \(file): nothing was changed", hint: "the disk may be failing or full")
        default:
            return AgoraError("database error on \(file): \(e.message ?? "\(e.resultCode)")")
        }
    }
}

/// Whether the filesystem holding `path` has no block left for this process.
func diskIsFull(holding path: String) -> Bool {
    var fs = statvfs()
    guard statvfs(URL(fileURLWithPath: path).deletingLastPathComponent().path, &fs) == 0 else { return false }
    return fs.f_bavail == 0
}

/// Where a personal database lives: `--db PATH`, else `$AGORA_DB`, else
/// `${XDG_DATA_HOME:-$HOME/.local/share}/agora/agora.db`.
public enum DatabaseLocation {
    public static func resolve(flag: String?, environment: [String: String]) -> String {
        if let flag, !flag.isEmpty { return flag }
        if let env = environment["AGORA_DB"], !env.isEmpty { return env }
        let base: String
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
            base = xdg
        } else {
            base = homeDirectory(environment) + "/.local/share"
        }
        return base + "/agora/agora.db"
    }

    /// Creates the default directory with mode 0700 (and its parents) when it is missing.
    public static func prepareDirectory(for path: String) throws {
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if FileManager.default.fileExists(atPath: dir) { return }
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw AgoraError("cannot create \(dir): \(error.localizedDescription)", hint: "choose another place with --db PATH")
        }
    }
}

/// Writers of one database file, across processes, wait their turn in the kernel: `flock` on DATABASE-lock.
///
/// SQLite's busy handler sleeps and looks again, backing off to one look every 100 ms, so a writer that has waited
/// a while loses each free moment to newcomers that still look every millisecond: with 50 processes posting at
/// once, one waited 30 s and failed (DurabilityTests). Shorter looks made it worse on 2 cores (the waiters' wakeups
/// took the CPU from the process holding the lock: 556 s instead of 294 s for the 5,000 posts). A blocked `flock`
/// costs nothing until the holder lets go, and then the kernel wakes the waiters. Without the file (a read-only
/// directory) writers fall back to SQLite's wait.
final class WriterQueue: @unchecked Sendable {
    let fd: Int32
    /// A wait that timed out leaves its helper blocked; when that one gets the lock it gives it back at once. Until
    /// then this descriptor's lock state is not ours alone, so the queue steps aside for the rest of the process.
    private var abandoned = false

    init?(database: String) {
        fd = open(database + "-lock", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        if fd < 0 { return nil }
    }

    deinit { close(fd) }

    /// Whether the lock is ours within `timeout` (true also when the queue is not usable: SQLite then waits).
    func lock(timeout: TimeInterval, onWait: (@Sendable () -> Void)? = nil) -> Bool {
        if abandoned { return true }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 { return true }
        guard errno == EWOULDBLOCK else { return true }
        onWait?()
        // Block in the kernel on a helper thread, so that this one can give up after `timeout`. A thread of its own,
        // not a libdispatch worker: the first worker would start libdispatch's once-a-second monitor for good.
        let handoff = Handoff()
        Thread.detachNewThread { [fd] in
            while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
            if !handoff.deliver() { flock(fd, LOCK_UN) }
        }
        if handoff.wait(until: Date(timeIntervalSinceNow: timeout)) { return true }
        abandoned = true
        return false
    }

    func unlock() {
        if !abandoned { flock(fd, LOCK_UN) }
    }

    private final class Handoff: @unchecked Sendable {
        let condition = NSCondition()
        var delivered = false
        var givenUp = false

        /// False: the waiter gave up; the lock must go back.
        func deliver() -> Bool {
            condition.lock()
            defer { condition.unlock() }
            if givenUp { return false }
            delivered = true
            condition.signal()
            return true
        }

        func wait(until deadline: Date) -> Bool {
            condition.lock()
            defer { condition.unlock() }
            while !delivered {
                if !condition.wait(until: deadline) && !delivered {
                    givenUp = true
                    return false
                }
            }
            return true
        }
    }
}

