import AgoraCore
import Foundation
import GRDB




extension SQLiteStore {
    /// Starts a topic with its opening post, clearing the author's draft in `draftScope`. Returns (topic id, post id).
    @discardableResult
    public func post(kind: TopicKind, title: String, body: String, tags: [String] = [], by login: String, now: Date,
                     template: String? = nil, followUp: Date? = nil,
                     draftScope: String = "new") throws -> (topic: Int64, post: Int64) {
        let title = try Limits.title(title)
        let body = try Limits.body(body)
        let tags = try Limits.tags(tags)
        return try write { db in
            try post(db, kind: kind, title: title, body: body, tags: tags, by: login, now: now, template: template,
                     followUp: followUp, draftScope: draftScope)
        }
    }

    /// `post` inside the caller's write transaction (title, body and tags already checked against `Limits`).
    func post(_ db: Database, kind: TopicKind, title: String, body: String, tags: [String], by login: String, now: Date,
              template: String?, followUp: Date?, draftScope: String) throws -> (topic: Int64, post: Int64) {
        try authorize(db, login, .post)
        var topic = try Conversation.newTopic(kind: kind, title: title, by: login, now: now,
                                              template: try template.map { try self.template(db, $0) }, followUp: followUp)
        try topic.insert(db)
        var post = Post(topicId: topic.id!, author: login, body: body, created: now)
        try post.insert(db)
        try db.cachedStatement(sql: "UPDATE topic SET lastPostId = ? WHERE id = ?").execute(arguments: [post.id!, topic.id!])
        for tag in tags {
            try db.cachedStatement(sql: "INSERT INTO topicTag(tag, topicId) VALUES (?, ?)").execute(arguments: [tag, topic.id!])
        }
        try markRead(db, login: login, topic: topic.id!, upTo: post.id!)
        try db.cachedStatement(sql: "DELETE FROM draft WHERE login = ? AND scope = ?").execute(arguments: [login, draftScope])
        try record(db, .posted, topic: topic.id!, post: post.id!)
        try notify(db, post: post, topic: topic, isReply: false, now: now)
        return (topic.id!, post.id!)
    }

    /// Replies in a topic, to the topic as a whole or to one post (`parent`). Returns the new post id.
    @discardableResult
    public func reply(topic topicId: Int64, parent: Int64? = nil, body: String, by login: String, now: Date) throws -> Int64 {
        let body = try Limits.body(body)
        return try write { db in
            try authorize(db, login, .reply)
            guard var topic = try Topic.fetchOne(db.cachedStatement(sql: "SELECT * FROM topic WHERE id = ?"), arguments: [topicId]) else {
                throw AgoraError.notFound("topic", "\(topicId)", hint: "see 'agora topics'")
            }
            if let parent {
                let inTopic = try Int64.fetchOne(db.cachedStatement(sql: "SELECT topicId FROM post WHERE id = ?"), arguments: [parent])
                guard inTopic == topicId else {
                    throw AgoraError.notFound("post", "\(parent) in topic \(topicId)", hint: "see 'agora show \(topicId)'")
                }
            }
            var post = Post(topicId: topicId, parentId: parent, author: login, body: body, created: now)
            try post.insert(db)
            let outcome = Conversation.reply(to: topic, postId: post.id!, by: login, now: now)
            topic = outcome.topic
            try topic.update(db)
            // One's own reply is read; the posts before it only as far as they were (replying is not reading them all).
            try apply(db, ReadState(login: login, topicId: topicId, lastReadPostId: 0, posts: [post.id!]))
            for scope in outcome.settledDrafts(parent: parent) {
                try db.cachedStatement(sql: "DELETE FROM draft WHERE login = ? AND scope = ?").execute(arguments: [login, scope])
            }
            if let key = outcome.touchedClaim { try touchClaim(db, key, by: login, now: now) }
            try record(db, .posted, topic: topicId, post: post.id!)
            try notify(db, post: post, topic: topic, isReply: true, now: now)
            return post.id!
        }
    }

    /// Topics, newest activity first.
    public func topics(_ q: TopicQuery = TopicQuery(), for reader: String? = nil) throws -> [TopicSummary] {
        try read { db in try topics(db, q, for: reader) }
    }

    /// The one query behind every `TopicSummary`: topic, author, the reader's read mark (argument 1) and tags.
    static let summarySelect = """
        SELECT topic.*, peer.name AS authorName, peer.left IS NOT NULL AS authorIsAlumni,
               COALESCE(rs.lastReadPostId, 0) AS lastRead,
               (SELECT group_concat(tag, ' ') FROM (SELECT tag FROM topicTag WHERE topicId = topic.id ORDER BY tag)) AS tagList
        FROM topic
        JOIN peer ON peer.login = topic.author
        LEFT JOIN readState rs ON rs.topicId = topic.id AND rs.login = ?
        """

    /// `ChampionQueue.awaitsAnswer` in SQL (the contract suite checks that the two agree).
    static let awaitsAnswerSQL: String = {
        let kinds = TopicKind.allCases.filter(\.expectsAnswer).map { "'\($0.rawValue)'" }.joined(separator: ", ")
        return "(topic.answerCount = 0 AND topic.noAnswerNeeded = 0 AND topic.status != 'resolved' AND "
            + "(topic.kind IN (\(kinds)) OR (topic.kind = 'discussion' AND instr(topic.title, '?') > 0)))"
    }()

    func topics(_ db: Database, _ q: TopicQuery, for reader: String?) throws -> [TopicSummary] {
            var sql = Self.summarySelect
            var args: StatementArguments = [reader ?? ""]
            var conditions: [String] = []
            if let k = q.kind { conditions.append("topic.kind = ?"); args += [k.rawValue] }
            if let t = q.tag { conditions.append("topic.id IN (SELECT topicId FROM topicTag WHERE tag = ?)"); args += [t.lowercased()] }
            if let a = q.author { conditions.append("topic.author = ?"); args += [a] }
            if q.unansweredOnly { conditions.append(Self.awaitsAnswerSQL) }
            if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
            sql += " ORDER BY topic.lastActivity DESC, topic.id DESC LIMIT ? OFFSET ?"
            args += [q.limit, q.offset]
            return try Row.fetchAll(db, sql: sql, arguments: args).map(Self.summary)
    }

    /// How many topics have posts `login` has not read. One join over the reader's read states
    /// (topics never opened are all unread), instead of a probe per topic: ~4x faster at 100k topics.
    public func unreadTopicCount(for login: String) throws -> Int {
        try read { db in try unreadTopicCount(db, for: login) }
    }

    func unreadTopicCount(_ db: Database, for login: String) throws -> Int {
        try CountSchema.unread(db, for: login).topics
    }

    /// One read for the TUI: program, me, the newest `topicLimit` topics, the queue, the unread count, and the
    /// peer directory unless it is unchanged since `knownPeersVersion` (it is the costliest part at 10k peers).
    public func home(for login: String, now: Date, topicLimit: Int, includePeers: Bool = true,
                     knownPeersVersion: Int64? = nil) throws -> Home {
        try read { db in
            let program = try Program.fetchOne(db)
            var home = Home(program: program, me: nil, peers: nil, peersVersion: 0, topics: [], queue: [], unreadTopics: 0)
            guard let program else { return home }
            home.peersVersion = try Int64.fetchOne(db, sql: "SELECT version FROM tableVersion WHERE name = 'peer'") ?? 0
            if includePeers && knownPeersVersion != home.peersVersion {
                home.peers = try Peer.all().order(sql: "left IS NOT NULL, name COLLATE NOCASE").fetchAll(db)
            }
            guard let me = try Peer.fetchOne(db, key: login) else { return home }
            home.me = me
            home.topics = try topics(db, TopicQuery(limit: topicLimit), for: login)
            home.queue = try queue(db, program, login: login, me: me, now: now)
            home.unreadTopics = try unreadTopicCount(db, for: login)
            return home
        }
    }

    static func summary(_ row: Row) throws -> TopicSummary {
        let topic = try Topic(row: row)
        let lastRead: Int64 = row["lastRead"]
        let tagList: String? = row["tagList"]
        return TopicSummary(topic: topic,
                            tags: tagList.map { $0.split(separator: " ").map(String.init) } ?? [],
                            authorName: row["authorName"],
                            authorIsAlumni: row["authorIsAlumni"],
                            unread: topic.lastPostId > lastRead)
    }

    /// Summaries of the given topics in the given order (unknown ids left out), in one read.
    public func topicSummaries(_ ids: [Int64], for reader: String?) throws -> [TopicSummary] {
        guard !ids.isEmpty else { return [] }
        let found = try read { db in
            // A cached statement: this runs for every foreign post in every session, and compiling it (parsing, GRDB's
            // authorizer) cost more than running it.
            let statement = try db.cachedStatement(sql: Self.summarySelect + " WHERE topic.id IN (\(databaseQuestionMarks(count: ids.count)))")
            return try Row.fetchAll(statement, arguments: StatementArguments([reader ?? ""] + ids.map { $0 as DatabaseValueConvertible }))
                .map(Self.summary)
        }
        let byId = Dictionary(found.map { ($0.topic.id ?? 0, $0) }) { a, _ in a }
        return ids.compactMap { byId[$0] }
    }

    /// A thread's authors as a thread shows them: name, unit, region, role, joined and left; goals, offers,
    /// bio and the rest stay empty. Decoding whole peers was a third of opening a thread with many authors.
    static func authorCards(_ db: Database, _ logins: [String]) throws -> [Peer] {
        guard !logins.isEmpty else { return [] }
        let sql = "SELECT login, name, unit, region, role, joined, left FROM peer WHERE login IN (\(databaseQuestionMarks(count: logins.count)))"
        // A thread's tail (one or a few authors, in every open session for every reply) reuses its compiled
        // statement; a whole thread's hundreds of authors would fill the cache with one statement per count.
        let statement = logins.count <= 8 ? try db.cachedStatement(sql: sql) : try db.makeStatement(sql: sql)
        // Columns by position (the query names them): looking each up by name was most of a 400-author read.
        return try Row.fetchAll(statement, arguments: StatementArguments(logins)).map { r in
            Peer(login: r[0], name: r[1], unit: r[2], region: r[3], role: try Peer.decode(PeerRole.self, r[4], "role"),
                 joined: try r.date(at: 5, "joined"), left: try r.optionalDate(at: 6, "left"))
        }
    }

    /// Topics from `statement`, whose query selects `topicColumns` first and in order, decoded by position from the
    /// statement's own rows (the champion queue reads ~4,400 of them for every leader's screen and `agora status`).
    static let topicColumns = """
        topic.id, topic.kind, topic.title, topic.author, topic.status, topic.created, topic.lastActivity, topic.postCount,
        topic.answerCount, topic.lastPostId, topic.noAnswerNeeded, topic.followUp, topic.template
        """

    static func topics(_ statement: Statement, arguments: StatementArguments) throws -> [Topic] {
        var out: [Topic] = []
        let cursor = try Row.fetchCursor(statement, arguments: arguments)
        while let r = try cursor.next() {
            out.append(Topic(id: r[0], kind: try Topic.decode(TopicKind.self, r[1], "kind"), title: r[2], author: r[3],
                             status: try Topic.decode(TopicStatus.self, r[4], "status"), created: try r.date(at: 5, "created"),
                             lastActivity: try r.date(at: 6, "lastActivity"), postCount: r[7], answerCount: r[8], lastPostId: r[9],
                             noAnswerNeeded: r[10], followUp: try r.optionalDate(at: 11, "followUp"), template: r[12]))
        }
        return out
    }

    public func thread(_ topicId: Int64, for reader: String? = nil) throws -> ThreadView {
        try read { db in try thread(db, topicId, after: 0, for: reader) }
    }

    /// The posts of a thread after `postId`, with the topic as it is now and those posts' authors: what an open
    /// thread needs when it grows (reading the whole thread again costs ~ms per 400 posts).
    public func threadTail(_ topicId: Int64, after postId: Int64, for reader: String?) throws -> ThreadView {
        try read { db in try thread(db, topicId, after: postId, for: reader) }
    }

    public func threadOpening(_ topicId: Int64, for reader: String?, window: ThreadWindow) throws -> ThreadView {
        try read { db in
            // Every post's place in the tree first (three columns), then the lines the window holds, whole.
            var view = try threadFrame(db, topicId, for: reader)
            var outline: [Post] = []
            let cursor = try Row.fetchCursor(db.cachedStatement(sql: "SELECT id, parentId, author, hidden, edited FROM post WHERE topicId = ? ORDER BY id"),
                                             arguments: [topicId])
            while let r = try cursor.next() {
                outline.append(Post(id: r[0], topicId: topicId, parentId: r[1], author: r[2], body: "", created: view.topic.created,
                                    edited: try r.optionalDate(at: 4, "edited"), hidden: r[3]))
            }
            let order = ThreadTree.readingOrder(outline).map { outline[$0] }
            let whole = window.count(order, lastRead: view.lastReadPostId)
            view.posts = try Self.posts(db, topicId, ids: order[..<whole].compactMap(\.id))
            view.peers = try Self.cards(db, Array(Set(view.posts.map(\.author))))
            view.withheld = order[whole...].map {
                PostOutline(id: $0.id ?? 0, parentId: $0.parentId, author: $0.author, hidden: $0.hidden, edited: $0.edited)
            }
            return view
        }
    }

    public func threadPosts(_ topicId: Int64, ids: [Int64], for reader: String?) throws -> ThreadView {
        try read { db in
            var view = try threadFrame(db, topicId, for: reader)
            view.posts = try Self.posts(db, topicId, ids: ids)
            view.peers = try Self.cards(db, Array(Set(view.posts.map(\.author))))
            return view
        }
    }

    /// A post from a row of `id, topicId, parentId, author, body, created, edited, hidden, deleted`.
    static func post(_ r: Row) throws -> Post {
        Post(id: r[0], topicId: r[1], parentId: r[2], author: r[3], body: r[4], created: try r.date(at: 5, "created"),
             edited: try r.optionalDate(at: 6, "edited"), hidden: r[7], deleted: r[8])
    }

    static func cards(_ db: Database, _ logins: [String]) throws -> [String: Peer] {
        Dictionary(uniqueKeysWithValues: try authorCards(db, logins).map { ($0.login, $0) })
    }

    /// The topic's posts after `postId`, and their authors.
    func thread(_ db: Database, _ topicId: Int64, after postId: Int64, for reader: String?) throws -> ThreadView {
        var view = try threadFrame(db, topicId, for: reader)
        view.posts = try Self.posts(db, topicId, after: postId)
        view.peers = try Self.cards(db, Array(Set(view.posts.map(\.author))))
        return view
    }

    /// A thread without its posts: the topic, its tags and how far `reader` has read it.
    func threadFrame(_ db: Database, _ topicId: Int64, for reader: String?) throws -> ThreadView {
        // Cached statements: a reply makes every session that has the thread open read its tail, and compiling these
        // (SQLite's parser, GRDB's authorizer per column) cost more than running them.
        guard let topic = try Topic.fetchOne(db.cachedStatement(sql: "SELECT * FROM topic WHERE id = ?"), arguments: [topicId]) else {
            throw AgoraError.notFound("topic", "\(topicId)", hint: "see 'agora topics'")
        }
        let tags = try String.fetchAll(db.cachedStatement(sql: "SELECT tag FROM topicTag WHERE topicId = ? ORDER BY tag"),
                                       arguments: [topicId])
        let lastRead = try readMark(db, login: reader ?? "", topic: topicId) ?? 0
        var view = ThreadView(topic: topic, tags: tags, posts: [], peers: [:], lastReadPostId: lastRead)
        if let reader {
            view.readBeyond = try readBeyondMark(db, login: reader, topic: topicId)
            view.bookmarked = try bookmarked(db, login: reader, topic: topicId)
        }
        return view
    }

    /// These posts of a topic, oldest first (an id twice or of another topic's post, once or not at all).
    static func posts(_ db: Database, _ topicId: Int64, ids: [Int64]) throws -> [Post] {
        let statement = try db.cachedStatement(sql: """
            SELECT id, topicId, parentId, author, body, created, edited, hidden, deleted FROM post WHERE id = ? AND topicId = ?
            """)
        return try Set(ids).sorted().compactMap { id in try Row.fetchOne(statement, arguments: [id, topicId]).map(post) }
    }

    /// A topic's posts after `postId`, oldest first.
    static func posts(_ db: Database, _ topicId: Int64, after postId: Int64) throws -> [Post] {
        var posts: [Post] = []
        let cursor = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT id, topicId, parentId, author, body, created, edited, hidden, deleted FROM post WHERE topicId = ? AND id > ? ORDER BY id
            """), arguments: [topicId, postId])
        while let r = try cursor.next() { posts.append(try post(r)) }
        return posts
    }

    /// Remembers that `login` has read `topic` up to `postId` (never moves backwards).
    public func markRead(login: String, topic: Int64, upTo postId: Int64) throws {
        try write { db in try markRead(db, login: login, topic: topic, upTo: postId) }
    }

    public func markRead(_ marks: [ReadState]) throws {
        guard !marks.isEmpty else { return }
        try write { db in
            for m in marks { try apply(db, m) }
        }
    }

    func markRead(_ db: Database, login: String, topic: Int64, upTo postId: Int64) throws {
        try apply(db, ReadState(login: login, topicId: topic, lastReadPostId: postId))
    }

    /// Topics with posts `login` has not read, and how many posts that is.
    public func unreadCounts(for login: String) throws -> (topics: Int, posts: Int) {
        try read { db in try CountSchema.unread(db, for: login) }
    }

    /// Sets a topic's status (champions, or the topic's author).
    public func setStatus(_ topicId: Int64, _ status: TopicStatus, by login: String, now: Date) throws {
        try write { db in
            let program = try requireProgram(db)
            guard var topic = try Topic.fetchOne(db, key: topicId) else { throw AgoraError.notFound("topic", "\(topicId)") }
            let outcome = try Conversation.setStatus(topic, status, by: try Peer.fetchOne(db, key: login), in: program)
            topic = outcome.topic
            try topic.update(db)
            try dropClaim(db, outcome.settledClaim)
            try audit(db, now, login, "topic.\(status.rawValue)", "topic:\(topicId)")
            try record(db, .topic, topic: topicId)
        }
    }

    // MARK: Drafts

    public func draft(login: String, scope: String) throws -> Draft? {
        try read { try Draft.fetchOne($0, key: ["login": login, "scope": scope]) }
    }

    public func drafts(login: String) throws -> [Draft] {
        try read { try Draft.filter(sql: "login = ?", arguments: [login]).order(sql: "saved DESC").fetchAll($0) }
    }

    public func saveDraft(_ d: Draft) throws {
        try write { db in try d.save(db) }
    }

    public func deleteDraft(login: String, scope: String) throws {
        try write { db in _ = try Draft.deleteOne(db, key: ["login": login, "scope": scope]) }
    }
}
