import AgoraTestSupport
import Foundation
import GRDB
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// What a host does to a program's file: fills its disk, truncates it, puts another program's file in its place,
/// or leaves a stale -wal beside it. Each time: one clear line, nothing acknowledged lost, the file not overwritten.
@Suite("Faults")
struct FaultTests {
    static func firstLine(_ r: HostileRun) -> String { r.errText.split(separator: "\n").first.map(String.init) ?? "" }

    /// A program led by lea in a file on a 2 MB disk of its own.
    static func programOnASmallDisk(_ label: String) throws -> (SmallDisk, HostileAgora) {
        let disk = try SmallDisk(kib: 2048)
        let a = try HostileAgora(label: label, database: disk.dir.appendingPathComponent("agora.db").path)
        try a.must(["init", "--name", "Circle", "--leader-name", "Lea Leader"])
        return (disk, a)
    }

    /// Posts of 60 KB (the WAL and free pages may take a few first) until the disk refuses one: the ids acknowledged
    /// on the way, and the refusal.
    static func postUntilRefused(_ post: (_ title: String, _ body: String) throws -> HostileRun) throws -> ([Int64], HostileRun?) {
        let body = String(repeating: "a full disk ", count: 5_000)
        var acknowledged: [Int64] = []
        for i in 0..<40 {
            let r = try post("while full \(i)", body)
            guard r.ok else { return (acknowledged, r) }
            if let id = Int64(r.text.trimmingCharacters(in: .whitespacesAndNewlines)) { acknowledged.append(id) }
        }
        return (acknowledged, nil)
    }

    @Test("a full disk: posting fails with one line, nothing acknowledged is lost, and after space is freed all works",
          .enabled(if: SmallDisk.unavailable == nil, "\(SmallDisk.unavailable ?? "")"))
    func aFullDisk() throws {
        let (disk, a) = try Self.programOnASmallDisk("fulldisk")
        var acknowledged: [Int64] = []
        for i in 0..<10 {
            acknowledged.append(Int64(try a.must(["post", "--kind", "idea", "--title", "before \(i)", "--body", "x"]).text
                .trimmingCharacters(in: .whitespacesAndNewlines))!)
        }
        disk.fill()
        let (whileFull, refused) = try Self.postUntilRefused { title, body in
            try a.run(["post", "--kind", "idea", "--title", title, "--body", body])
        }
        acknowledged += whileFull
        let r = try #require(refused, "the disk never filled")
        #expect(r.errText.split(separator: "\n").count == 1 && r.errText.hasPrefix("agora: error: "), "\(r.errText)")
        #expect(r.errText.contains("is full: nothing was changed"), "\(r.errText)")
        // With nobody else holding the file open, even reading needs a few KB (SQLite's -shm): it says the disk is full.
        let read = try a.run(["topics"])
        #expect(read.ok || Self.firstLine(read).contains("is full: nothing was changed"), "\(read.errText)")

        disk.free()
        let after = try a.must(["post", "--kind", "idea", "--title", "after", "--body", String(repeating: "space again ", count: 5_000)])
        #expect(Int64(after.text.trimmingCharacters(in: .whitespacesAndNewlines)) != nil)
        let stored = try DurabilityTests.inspect(a.db) { db in Set(try Int64.fetchAll(db, sql: "SELECT id FROM topic")) }
        #expect(Set(acknowledged).subtracting(stored).isEmpty, "acknowledged but lost: \(Set(acknowledged).subtracting(stored).sorted())")
        let check = try DurabilityTests.inspect(a.db) { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
        #expect(check == "ok")
    }

    /// The daemon meets the full disk in the middle of its life: each client gets the line, and once there is space
    /// again the same daemon goes on (no restart).
    @Test("a full disk under the daemon: the client is told, and the daemon goes on once there is space",
          .enabled(if: SmallDisk.unavailable == nil, "\(SmallDisk.unavailable ?? "")"))
    func aFullDiskUnderTheDaemon() throws {
        let (disk, a) = try Self.programOnASmallDisk("fulldaemon")
        let socket = a.dir.appendingPathComponent("agora.sock").path
        let daemon = try a.process(["serve", "--db", a.db, "--socket", socket], as: nil, stdin: nil,
                                   out: a.dir.appendingPathComponent("serve.out"), err: a.dir.appendingPathComponent("serve.err"))
        try daemon.run()
        defer { daemon.terminate(); daemon.waitUntilExit() }
        #expect(try Self.awaitAnswer(a, socket: socket), "the daemon never answered")
        func post(_ title: String, _ body: String) throws -> HostileRun {
            try a.run(["post", "--socket", socket, "--kind", "idea", "--title", title, "--body", body], as: "lea")
        }
        let first = try post("before", "x")
        #expect(first.ok, "\(first.errText)")
        disk.fill()
        let (_, refused) = try Self.postUntilRefused(post)
        let r = try #require(refused, "the disk never filled")
        #expect(r.errText.split(separator: "\n").count == 1 && r.errText.contains("is full: nothing was changed"), "\(r.errText)")
        #expect(daemon.isRunning, "the daemon died on a full disk")
        // The daemon holds the file open: reading goes on while the disk is full.
        #expect(try a.run(["topics", "--socket", socket], as: "lea").text.contains("before"))
        disk.free()
        let after = try post("after", String(repeating: "space again ", count: 5_000))
        #expect(after.ok, "the same daemon posts again once there is space: \(after.errText)")
        #expect(try a.run(["topics", "--socket", socket], as: "lea").text.contains("after"))
    }

    /// Looks (bounded) for the daemon to answer on its socket: a connect that works, not a sleep.
    static func awaitAnswer(_ a: HostileAgora, socket: String) throws -> Bool {
        let deadline = Date(timeIntervalSinceNow: 30)
        while Date() < deadline {
            if try a.run(["topics", "--socket", socket], as: nil).ok { return true }
            usleep(20_000)
        }
        return false
    }

    @Test("another program's SQLite file: refused in one line, not a byte of it changed")
    func anotherProgramsFile() throws {
        let a = try HostileAgora(label: "foreign")
        let queue = try DatabaseQueue(path: a.db)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE notes(body TEXT); INSERT INTO notes VALUES ('my own notes')")
        }
        try queue.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: a.db))
        for args in [["topics"], ["init", "--name", "Mine now"], ["post", "--kind", "idea", "--title", "t", "--body", "b"]] {
            let r = try a.run(args)
            #expect(r.status != 0, "agora \(args[0]) took over another program's file")
            #expect(r.errText.split(separator: "\n").count == 1, "\(r.errText)")
            #expect(Self.firstLine(r) == "agora: error: \(a.db) is not an Agora database (it holds another program's tables): nothing was changed (choose another file with --db PATH)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: a.db)) == before)
        #expect(!FileManager.default.fileExists(atPath: a.db + "-wal"), "not even switched to WAL")

        // Another GRDB program in WAL mode, whose first migration is called v1 as Agora's is.
        let b = try HostileAgora(label: "foreignwal")
        var walConfig = Configuration()
        walConfig.journalMode = .wal
        let pool = try DatabasePool(path: b.db, configuration: walConfig)
        try pool.write { db in
            try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY); INSERT INTO grdb_migrations VALUES ('v1')")
            try db.execute(sql: "CREATE TABLE player(name TEXT); INSERT INTO player VALUES ('arthur')")
        }
        try pool.close()
        let walBefore = try Data(contentsOf: URL(fileURLWithPath: b.db))
        let r = try b.run(["topics"])
        #expect(Self.firstLine(r).contains("is not an Agora database (it holds another program's tables): nothing was changed"), "\(r.errText)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: b.db)) == walBefore)
        #expect(!FileManager.default.fileExists(atPath: b.db + "-wal") && !FileManager.default.fileExists(atPath: b.db + "-shm"),
                "no -wal or -shm made beside it")
    }

    @Test("a truncated database file and a file that is not SQLite: one line naming the file, the file untouched")
    func truncatedAndNotSQLite() throws {
        let a = try HostileAgora.withProgram(label: "truncated")
        for i in 0..<100 { try a.must(["post", "--kind", "idea", "--title", "topic \(i)", "--body", String(repeating: "text ", count: 100)]) }
        let whole = try Data(contentsOf: URL(fileURLWithPath: a.db))
        let cut = whole.prefix(whole.count / 2)
        try cut.write(to: URL(fileURLWithPath: a.db))
        for args in [["topics"], ["post", "--kind", "idea", "--title", "more", "--body", "x"]] {
            let r = try a.run(args)
            #expect(r.status != 0 && r.errText.split(separator: "\n").count == 1, "\(r.errText)")
            #expect(Self.firstLine(r).hasPrefix("agora: error: \(a.db) is damaged ("), "\(r.errText)")
            #expect(r.errText.contains("backup"), "advice on what to do: \(r.errText)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: a.db)) == cut)

        try Data("name,notes\nnot,a database\n".utf8).write(to: URL(fileURLWithPath: a.db))
        let r = try a.run(["topics"])
        #expect(Self.firstLine(r).hasPrefix("agora: error: \(a.db) is not an Agora database (not SQLite)"), "\(r.errText)")
        #expect(try String(contentsOfFile: a.db, encoding: .utf8) == "name,notes\nnot,a database\n")
    }

    /// A -wal left beside a file it does not belong to (a backup copied back over a crashed program's file): here its
    /// pages do not fit, the program reads as damaged, the advice names the -wal, and neither file is written.
    /// (Where another copy's pages happen to fit, SQLite applies them: its -wal names no database. docs/SECURITY.md.)
    @Test("a -wal from another copy beside the file: one line that names it, neither file written")
    func aWALFromAnotherCopy() throws {
        let a = try HostileAgora.withProgram(label: "walmix")
        for i in 0..<30 { try a.must(["post", "--kind", "idea", "--title", "topic \(i)", "--body", String(repeating: "x", count: 300)]) }
        let other = try HostileAgora(label: "walother")
        try other.must(["demo", "--peers", "20", "--topics", "100", "--posts", "500", "--seed", "2"], as: nil)
        // The other program's last changes, still in its -wal (as a process that died before checkpointing leaves it).
        let holder = try DatabaseQueue(path: other.db)
        try holder.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
            // Its schema page too (a table made and dropped): the copy beside it then looks for its tables where the
            // other program keeps them, past its own pages, and SQLite says the file is damaged. Without page 1 the
            // foreign pages may land where a query never reads, and nothing can tell (SQLite cannot either).
            try db.execute(sql: "CREATE TABLE scratch(x); DROP TABLE scratch; UPDATE post SET body = body || ' more'")
        }
        let wal = try Data(contentsOf: URL(fileURLWithPath: other.db + "-wal"))
        try holder.close()
        #expect(wal.count > 32)
        try wal.write(to: URL(fileURLWithPath: a.db + "-wal"))
        let db = try Data(contentsOf: URL(fileURLWithPath: a.db))
        let r = try a.run(["topics"])
        #expect(r.status != 0 && r.errText.split(separator: "\n").count == 1, "\(r.errText)")
        #expect(Self.firstLine(r).hasPrefix("agora: error: \(a.db) is damaged ("), "\(r.errText)")
        #expect(r.errText.contains("\(a.db)-wal"), "the advice names the -wal: \(r.errText)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: a.db)) == db)
        #expect(try Data(contentsOf: URL(fileURLWithPath: a.db + "-wal")) == wal)
    }
}
