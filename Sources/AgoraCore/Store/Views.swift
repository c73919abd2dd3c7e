import Foundation

// What the stores hand back: views of the program shaped for the lists and screens that show them.
// Declared here, beside the protocols, so the app and the TUI use them without importing a backend.

/// A topic as lists show it.
public struct TopicSummary: Codable, Equatable, Sendable {
    public var topic: Topic
    public var tags: [String]
    public var authorName: String
    public var authorIsAlumni: Bool
    /// The reader has not seen the newest post.
    public var unread: Bool
    public init(topic: Topic, tags: [String], authorName: String, authorIsAlumni: Bool, unread: Bool) {
        self.topic = topic
        self.tags = tags
        self.authorName = authorName
        self.authorIsAlumni = authorIsAlumni
        self.unread = unread
    }
}

/// A thread, ready to lay out with `ThreadTree`: whole, or (`ConversationStore.threadOpening`) with some bodies to come.
public struct ThreadView: Codable, Equatable, Sendable {
    public var topic: Topic
    public var tags: [String]
    public var posts: [Post]
    /// The authors, as `authorCards` reads them (no goals, offers or bio), of the posts that came whole.
    public var peers: [String: Peer]
    public var lastReadPostId: Int64
    /// Posts after `lastReadPostId` that the reader has read all the same (shown them, or marked another unread).
    public var readBeyond: [Int64] = []
    /// The reader's bookmarks among the thread's posts.
    public var bookmarked: [Int64] = []
    /// The other posts, in reading order, as far as the tree needs them: further down the thread than its opening
    /// screens; `ConversationStore.threadPosts` reads them whole. Empty for a whole thread.
    public var withheld: [PostOutline]
    public init(topic: Topic, tags: [String], posts: [Post], peers: [String: Peer], lastReadPostId: Int64,
                withheld: [PostOutline] = []) {
        self.topic = topic
        self.tags = tags
        self.posts = posts
        self.peers = peers
        self.lastReadPostId = lastReadPostId
        self.withheld = withheld
    }
}

/// A post before its body comes: where it hangs in the tree, who wrote it, and whether a champion hid it or its
/// author edited it (so that a copy the reader already holds is kept only while it is still the post as it is).
public struct PostOutline: Codable, Equatable, Sendable {
    public var id: Int64
    public var parentId: Int64?
    public var author: String
    public var hidden: Bool
    public var edited: Date?
    public init(id: Int64, parentId: Int64?, author: String, hidden: Bool = false, edited: Date? = nil) {
        self.id = id
        self.parentId = parentId
        self.author = author
        self.hidden = hidden
        self.edited = edited
    }

    // By position, not by key: a long thread's outline is most of what opening it sends.
    public init(from decoder: Decoder) throws {
        var c = try decoder.unkeyedContainer()
        id = try c.decode(Int64.self)
        parentId = try c.decodeNil() ? nil : c.decode(Int64.self)
        author = try c.decode(String.self)
        hidden = try c.decode(Bool.self)
        edited = try c.decodeNil() ? nil : c.decode(Date.self)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.unkeyedContainer()
        try c.encode(id)
        if let parentId { try c.encode(parentId) } else { try c.encodeNil() }
        try c.encode(author)
        try c.encode(hidden)
        if let edited { try c.encode(edited) } else { try c.encodeNil() }
    }
}

/// What of a thread `ConversationStore.threadOpening` sends whole: the lines in reading order from the first through
/// the line of `focus` (the reader's first unread post when nil, the first line when all is read) and `more` after it.
public struct ThreadWindow: Codable, Equatable, Sendable {
    public var focus: Int64?
    public var more: Int
    public init(focus: Int64? = nil, more: Int) {
        self.focus = focus
        self.more = more
    }

    /// How many of `posts` (in reading order) come whole, for a reader who had read up to `lastRead`.
    public func count(_ posts: [Post], lastRead: Int64) -> Int {
        guard !posts.isEmpty else { return 0 }
        let anchor = focus.flatMap { f in posts.firstIndex { $0.id == f } } ?? posts.firstIndex { ($0.id ?? 0) > lastRead } ?? 0
        // `more` comes from a client: clamped before adding, so no value can overflow (and stop the daemon).
        return anchor + 1 + min(max(0, more), posts.count - anchor - 1)
    }
}

public struct TopicQuery: Codable, Sendable {
    public var kind: TopicKind?
    public var tag: String?
    public var author: String?
    /// No reply yet from anyone but the author.
    public var unansweredOnly: Bool
    public var limit: Int
    public var offset: Int
    public init(kind: TopicKind? = nil, tag: String? = nil, author: String? = nil, unansweredOnly: Bool = false,
                limit: Int = 500, offset: Int = 0) {
        self.kind = kind
        self.tag = tag
        self.author = author
        self.unansweredOnly = unansweredOnly
        self.limit = limit
        self.offset = offset
    }
}

/// What the full-screen program shows besides an open thread, read in one transaction.
public struct Home: Codable, Sendable {
    public var program: Program?
    public var me: Peer?
    /// nil when `knownPeersVersion` says the caller's copy is current.
    public var peers: [Peer]?
    public var peersVersion: Int64
    public var topics: [TopicSummary]
    public var queue: [QueueItem]
    public var unreadTopics: Int
    public init(program: Program?, me: Peer? = nil, peers: [Peer]? = nil, peersVersion: Int64 = 0, topics: [TopicSummary] = [], queue: [QueueItem] = [], unreadTopics: Int = 0) {
        self.program = program
        self.me = me
        self.peers = peers
        self.peersVersion = peersVersion
        self.topics = topics
        self.queue = queue
        self.unreadTopics = unreadTopics
    }
}

public struct PeerFilter: Codable, Sendable {
    public var unit: String?
    public var region: String?
    public var generation: String?
    public var role: PeerRole?
    /// Words that must appear in name, login, goals, offers or bio.
    public var text: String?
    public var includeAlumni: Bool
    public init(unit: String? = nil, region: String? = nil, generation: String? = nil, role: PeerRole? = nil,
                text: String? = nil, includeAlumni: Bool = true) {
        self.unit = unit
        self.region = region
        self.generation = generation
        self.role = role
        self.text = text
        self.includeAlumni = includeAlumni
    }
}

public struct SearchHit: Codable, Equatable, Sendable {
    public var topicId: Int64
    public var postId: Int64?
    public var title: String
    public var kind: TopicKind
    /// A few words around the match, from the post body (empty for a title match).
    public var snippet: String
    /// How well it matches: higher is better. Only the order means something; the scale is the backend's.
    public var relevance: Double
    public init(topicId: Int64, postId: Int64?, title: String, kind: TopicKind, snippet: String, relevance: Double) {
        self.topicId = topicId
        self.postId = postId
        self.title = title
        self.kind = kind
        self.snippet = snippet
        self.relevance = relevance
    }
}

/// A highlight as the Highlights view lists it.
public struct HighlightSummary: Codable, Equatable, Sendable {
    public var highlight: Highlight
    public var topicTitle: String
    public var byName: String
    public init(highlight: Highlight, topicTitle: String, byName: String) {
        self.highlight = highlight
        self.topicTitle = topicTitle
        self.byName = byName
    }
}

/// The whole program, for `agora export`. Testimonials only when their author agreed to share them.
public struct ProgramExport: Codable, Sendable {
    public var program: Program
    public var peers: [Peer]
    public var topics: [ExportedTopic]
    public var highlights: [Highlight]
    public var testimonials: [Testimonial]

    public struct ExportedTopic: Codable, Sendable {
        public var topic: Topic
        public var tags: [String]
        public var posts: [Post]
        public init(topic: Topic, tags: [String], posts: [Post]) {
            self.topic = topic
            self.tags = tags
            self.posts = posts
        }
    }
    public init(program: Program, peers: [Peer], topics: [ExportedTopic], highlights: [Highlight], testimonials: [Testimonial]) {
        self.program = program
        self.peers = peers
        self.topics = topics
        self.highlights = highlights
        self.testimonials = testimonials
    }
}

/// An item a champion passed to the leader, with why.
public struct Escalation: Codable, Equatable, Sendable, Identifiable {
    public var id: Int64?
    public var itemKey: String
    public var by: String
    public var note: String
    public var created: Date
    public init(id: Int64? = nil, itemKey: String, by: String, note: String, created: Date) {
        self.id = id
        self.itemKey = itemKey
        self.by = by
        self.note = note
        self.created = created
    }
}

/// A post someone kept for later (`*` in the reader, `agora bookmark`): private to them, newest first in their list.
public struct Bookmark: Codable, Equatable, Sendable {
    public var postId: Int64
    public var topicId: Int64
    public var topicTitle: String
    public var author: String
    public var authorName: String
    /// The post's text; empty once a champion hid it or its author deleted it (the flags say which).
    public var body: String
    public var hidden: Bool
    public var deleted: Bool
    /// When it was bookmarked.
    public var created: Date
    public init(postId: Int64, topicId: Int64, topicTitle: String, author: String, authorName: String, body: String,
                hidden: Bool, deleted: Bool, created: Date) {
        self.postId = postId
        self.topicId = topicId
        self.topicTitle = topicTitle
        self.author = author
        self.authorName = authorName
        self.body = body
        self.hidden = hidden
        self.deleted = deleted
        self.created = created
    }

    /// The post's first line as the list shows it, or what became of it.
    public var excerpt: String {
        if deleted { return "(deleted by its author)" }
        if hidden { return "(hidden by a champion)" }
        return Sanitizer.line(String(body.split(separator: "\n", omittingEmptySubsequences: true).first ?? ""))
    }
}
