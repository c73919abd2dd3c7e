import Foundation
import AgoraCore

// What the event loop loads from the store and hands to `update`. Plain values: the TUI never
// sees the database, and a test builds them by hand (see AgoraTestSupport's `Fixtures`).

/// One line of the topic list.
public struct TopicRow: Equatable, Sendable {
    public var topic: Topic
    public var tags: [String]
    public var authorName: String
    public var unread: Bool
    /// Read in this session while the list sorts unread first: it keeps its place among the unread ones (not bold)
    /// until the list is read again from the store or sorted again, so the list does not reshuffle while one reads.
    public var keepsPlace = false

    public init(topic: Topic, tags: [String] = [], authorName: String, unread: Bool = false) {
        self.topic = topic
        self.tags = tags
        self.authorName = authorName
        self.unread = unread
    }

    public var id: Int64 { topic.id ?? 0 }

    /// The store's order: newest activity first, then the higher id.
    public static func byActivity(_ a: TopicRow, _ b: TopicRow) -> Bool {
        if a.topic.lastActivity != b.topic.lastActivity { return a.topic.lastActivity > b.topic.lastActivity }
        return a.id > b.id
    }

    /// "Unread first": unread rows (by activity), then the rest (by activity).
    public static func unreadFirst(_ a: TopicRow, _ b: TopicRow) -> Bool {
        a.sortsUnread != b.sortsUnread ? a.sortsUnread : byActivity(a, b)
    }

    /// Where "unread first" puts it.
    public var sortsUnread: Bool { unread || keepsPlace }
}

extension Array where Element == TopicRow {
    // Index loops rather than closures over elements: handing a row to a closure copies it (a retain and release
    // of each of its strings), a thousand times per scan of the list.

    /// The position of topic `id`, if the list holds it.
    public func index(ofTopic id: Int64) -> Int? {
        for i in indices where self[i].id == id { return i }
        return nil
    }

    /// Takes out the rows of these topics; the others keep their order (they move, they are not copied).
    mutating func remove(ids: Set<Int64>) {
        guard !ids.isEmpty else { return }
        var found: [Int] = []
        for i in indices where ids.contains(self[i].id) { found.append(i) }
        for i in found.reversed() { remove(at: i) }
    }
}

extension Array {
    /// Where `element` goes in an array sorted by `before`: after every element that sorts before it.
    func insertionIndex(of element: Element, by before: (Element, Element) -> Bool) -> Int {
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if before(self[mid], element) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}

/// An open thread: the topic and its posts laid out as a tree.
public struct ThreadSnapshot: Equatable, Sendable {
    public var topic: Topic
    public var tags: [String]
    public var lines: [ThreadLine]
    /// Authors of the posts, by login (a missing author is shown by login only).
    public var peers: [String: Peer]
    /// How far I had read before opening it: later posts are marked new (but my own, from another session).
    public var lastReadPostId: Int64
    /// Posts after `lastReadPostId` read all the same (shown before, or read on past one marked unread).
    public var readBeyond: Set<Int64> = []
    /// The reader's bookmarks among its posts (`*`).
    public var bookmarked: Set<Int64> = []
    /// Who reads it (set by the reader): a post of theirs is never new to them.
    public var viewer = ""
    /// Posts whose body and author have not come yet (`ThreadView.withheld`): the reader lays out no further than the
    /// first of them and asks for them (`Effect.loadThreadPosts`) as it gets near.
    public var withheld: Set<Int64>

    public init(topic: Topic, tags: [String] = [], lines: [ThreadLine], peers: [String: Peer] = [:], lastReadPostId: Int64 = 0,
                readBeyond: Set<Int64> = [], withheld: Set<Int64> = []) {
        self.readBeyond = readBeyond
        self.topic = topic
        self.tags = tags
        self.lines = lines
        self.peers = peers
        self.lastReadPostId = lastReadPostId
        self.withheld = withheld
    }

    public init(topic: Topic, tags: [String] = [], posts: [Post], peers: [String: Peer] = [:], lastReadPostId: Int64 = 0,
                readBeyond: Set<Int64> = [], withheld: Set<Int64> = []) {
        self.init(topic: topic, tags: tags, lines: ThreadTree.layout(posts), peers: peers, lastReadPostId: lastReadPostId,
                  readBeyond: readBeyond, withheld: withheld)
    }

    /// Whether `post` is new to the reader: beyond their mark, not read beyond it, and not their own.
    public func isNew(_ post: Post) -> Bool {
        let id = post.id ?? 0
        return id > lastReadPostId && post.author != viewer && (readBeyond.isEmpty || !readBeyond.contains(id))
    }

    /// Whether line `i`'s post came whole.
    public func isWhole(_ i: Int) -> Bool { withheld.isEmpty || !withheld.contains(lines[i].post.id ?? 0) }

    /// This thread with the withheld posts `posts` brought filled in (their bodies and authors).
    public func filling(_ posts: ThreadSnapshot) -> ThreadSnapshot {
        var out = self
        var byId: [Int64: Post] = [:]
        for line in posts.lines { if let id = line.post.id, withheld.contains(id) { byId[id] = line.post } }
        guard !byId.isEmpty else { return out }
        for i in out.lines.indices { if let id = out.lines[i].post.id, let p = byId[id] { out.lines[i].post = p } }
        out.withheld.subtract(byId.keys)
        out.peers.merge(posts.peers) { _, new in new }
        return out
    }

    /// This thread (read again) with the posts and authors that `old` already had whole for posts withheld here:
    /// reloading an open thread keeps what the reader has scrolled through.
    public func keeping(_ old: ThreadSnapshot) -> ThreadSnapshot {
        guard !withheld.isEmpty else { return self }
        var had: [Int64: Post] = [:]
        for (i, line) in old.lines.enumerated() where old.isWhole(i) { if let id = line.post.id, withheld.contains(id) { had[id] = line.post } }
        guard !had.isEmpty else { return self }
        var out = self
        for i in out.lines.indices {
            // Only a copy that is still the post as it is: not one a champion has hidden or its author edited since.
            guard let id = out.lines[i].post.id, let p = had[id], let author = old.peers[p.author],
                  p.hidden == out.lines[i].post.hidden, p.edited == out.lines[i].post.edited else { continue }
            out.lines[i].post = p
            out.withheld.remove(id)
            if out.peers[p.author] == nil { out.peers[p.author] = author }
        }
        return out
    }

    public var lastPostId: Int64 { lines.compactMap(\.post.id).max() ?? 0 }

    /// This thread with `tail`'s posts added (those it does not have yet), its authors, and its topic row as it is
    /// now. The tree is laid out again: a reply can land anywhere in it.
    public func appending(_ tail: ThreadSnapshot) -> ThreadSnapshot {
        // Every open session does this for every reply: the usual tail (posts after the newest one held, authors
        // already known) skips the set of known ids and the copy of the authors.
        let newest = lastPostId
        var added = tail.lines.map(\.post)
        if added.contains(where: { ($0.id ?? 0) <= newest }) {
            let known = Set(lines.compactMap(\.post.id))
            added.removeAll { known.contains($0.id ?? 0) }
        }
        let authors = tail.peers.allSatisfy { peers[$0.key] == $0.value } ? peers : peers.merging(tail.peers) { _, new in new }
        var out: ThreadSnapshot
        if let grown = appendingTopLevel(added, after: newest) {
            out = ThreadSnapshot(topic: tail.topic, tags: tail.tags, lines: grown, peers: authors, lastReadPostId: tail.lastReadPostId,
                                 readBeyond: tail.readBeyond, withheld: withheld)
        } else {
            // `ThreadTree.layout` orders the posts itself.
            out = ThreadSnapshot(topic: tail.topic, tags: tail.tags, posts: lines.map(\.post) + added,
                                 peers: authors, lastReadPostId: tail.lastReadPostId, readBeyond: tail.readBeyond, withheld: withheld)
        }
        out.viewer = viewer
        out.bookmarked = tail.bookmarked
        return out
    }

    /// The lines with replies to the topic as a whole added, when that is all `added` is (the usual reply, in every
    /// session that has the thread open): they go last, and only the previous last reply's branch changes (its
    /// guides no longer end the tree). What `ThreadTree.layout` of all posts would give, without laying out the
    /// whole thread again (a test compares the two on random trees).
    /// `newest`: this thread's newest post id (`lastPostId`, which the caller has).
    func appendingTopLevel(_ added: [Post], after newest: Int64) -> [ThreadLine]? {
        guard let root = lines.first?.post.id, !added.isEmpty,
              added.allSatisfy({ $0.parentId == nil || $0.parentId == root }) else { return nil }
        let ordered = added.sorted { ($0.id ?? 0) < ($1.id ?? 0) }
        guard (ordered.first?.id ?? 0) > newest, Set(ordered.compactMap(\.id)).count == ordered.count else { return nil }
        var out = lines
        if let last = out.lastIndex(where: { $0.depth == 1 }) {
            // Everything from the last reply on is its branch: it now has a sibling below it.
            out[last].guides = "├─ "
            for i in out.index(after: last)..<out.endIndex where out[i].guides.hasPrefix("   ") {
                out[i].guides = "│  " + out[i].guides.dropFirst(3)
            }
        }
        for (i, p) in ordered.enumerated() {
            out.append(ThreadLine(post: p, depth: 1, guides: i == ordered.count - 1 ? "└─ " : "├─ "))
        }
        return out
    }
}

/// Why an item waits in the champion queue.
public enum QueueKind: String, CaseIterable, Sendable {
    case unanswered, newcomer, flagged, stalled, followUp

    /// As the queue's rows and the CLI say it.
    public var label: String { self == .followUp ? "follow-up" : rawValue }
}

public struct QueueRow: Equatable, Sendable {
    public var kind: QueueKind
    /// Stable identity of the item ("topic:12", "peer:ana", "flag:3"): keeps the selection across reloads.
    public var key: String
    public var title: String
    public var since: Date
    public var claimedBy: String?
    public var claimedAt: Date?
    /// The topic to open with Enter, if the item is about one.
    public var topicId: Int64?
    /// The peer to show with Enter, if the item is about one (a newcomer).
    public var login: String?
    /// How long it has waited by the program's rules (the store decides); nil: judged from `since`.
    public var age: QueueAge?
    /// Who the item is about: the author waiting, the newcomer, the peer who flagged.
    public var who: String?
    /// A flag's post (Enter opens the thread there) and reason.
    public var postId: Int64?
    public var reason: String?
    /// Champions' notes passing it to the leader ("cho: needs a policy call").
    public var escalated: [String] = []

    public init(kind: QueueKind, key: String, title: String, since: Date, claimedBy: String? = nil,
                claimedAt: Date? = nil, topicId: Int64? = nil, login: String? = nil, age: QueueAge? = nil,
                who: String? = nil, postId: Int64? = nil, reason: String? = nil, escalated: [String] = []) {
        self.who = who
        self.postId = postId
        self.reason = reason
        self.escalated = escalated
        self.kind = kind
        self.key = key
        self.title = title
        self.since = since
        self.claimedBy = claimedBy
        self.claimedAt = claimedAt
        self.topicId = topicId
        self.login = login
        self.age = age
    }
}

/// One line of the Highlights view.
public struct HighlightRow: Equatable, Sendable {
    public var id: Int64
    public var topicId: Int64
    public var postId: Int64?
    public var topicTitle: String
    /// Who highlighted it, as shown ("Ana Lima (ana)" is built by the pane from the login).
    public var by: String
    public var why: String
    public var created: Date

    public init(id: Int64, topicId: Int64, postId: Int64? = nil, topicTitle: String, by: String, why: String, created: Date) {
        self.id = id
        self.topicId = topicId
        self.postId = postId
        self.topicTitle = topicTitle
        self.by = by
        self.why = why
        self.created = created
    }
}

/// Everything on screen except the open thread, loaded in one read transaction.
public struct Snapshot: Equatable, Sendable {
    /// nil: an empty or new database (the welcome screen).
    public var program: Program?
    /// nil: the person at the keyboard is not a member (the "ask the leader" screen).
    public var me: Peer?
    public var topics: [TopicRow]
    public var peers: [Peer]
    /// Oldest first is the loop's job or ours: `update` sorts by `since` anyway.
    public var queue: [QueueRow]
    public var unreadCount: Int
    public var queueCount: Int
    /// My unread notifications (the inbox's count on its tab and in the header).
    public var inboxUnread = 0

    public init(program: Program?, me: Peer?, topics: [TopicRow] = [], peers: [Peer] = [], queue: [QueueRow] = [],
                unreadCount: Int? = nil, queueCount: Int? = nil) {
        self.program = program
        self.me = me
        self.topics = topics
        self.peers = peers
        self.queue = queue
        self.unreadCount = unreadCount ?? topics.filter(\.unread).count
        self.queueCount = queueCount ?? queue.count
    }

    public static let empty = Snapshot(program: nil, me: nil)

    /// How `rows` change the unread count, judged from the rows the list holds now: nil when one of them is an
    /// old topic the list does not hold (its unread state before is unknown). A topic with a single post that the
    /// list does not hold is new: it did not count before.
    public func unreadDelta(_ rows: [TopicRow]) -> Int? {
        let changed = Set(rows.map(\.id))
        var byId: [Int64: Bool] = [:]
        for i in topics.indices where changed.contains(topics[i].id) { byId[topics[i].id] = topics[i].unread }
        var delta = 0
        for row in rows {
            if let was = byId[row.id] {
                delta += (row.unread ? 1 : 0) - (was ? 1 : 0)
            } else if row.topic.postCount == 1 {
                delta += row.unread ? 1 : 0
            } else {
                return nil
            }
        }
        return delta
    }

    /// Puts changed topic rows where they belong in the list (newest activity first, as the store orders it): a row
    /// already there is replaced, a new one inserted; the list stays at most `limit` long.
    /// In place: the changed rows are taken out and put back where they sort (rows move, nothing else is copied).
    /// Returns the ids that fell off the end of a full list.
    @discardableResult
    public mutating func merge(_ rows: [TopicRow], limit: Int) -> [Int64] {
        guard !rows.isEmpty else { return [] }
        topics.remove(ids: Set(rows.map(\.id)))
        for row in rows.sorted(by: TopicRow.byActivity) {
            let at = topics.insertionIndex(of: row, by: TopicRow.byActivity)
            // An old topic that changed but still sorts past the end of a full list stays out, as the store would.
            if at == topics.count && topics.count >= limit { continue }
            topics.insert(row, at: at)
        }
        guard topics.count > limit else { return [] }
        let dropped = topics[limit...].map(\.id)
        topics.removeLast(topics.count - limit)
        return dropped
    }
}
