import AgoraCore
import AgoraStore
import Foundation

// The documented, stable JSON shapes (keys are written in snake_case). See README "JSON output".

struct TopicJSON: Encodable {
    var id: Int64
    var kind: String
    var title: String
    var author: String
    var authorName: String
    var status: String
    var tags: [String]
    var created: Date
    var lastActivity: Date
    var posts: Int
    var replies: Int
    var unread: Bool

    init(_ s: TopicSummary) {
        id = s.topic.id ?? 0
        kind = s.topic.kind.rawValue
        title = s.topic.title
        author = s.topic.author
        authorName = s.authorName
        status = s.topic.status.rawValue
        tags = s.tags
        created = s.topic.created
        lastActivity = s.topic.lastActivity
        posts = s.topic.postCount
        replies = s.topic.postCount - 1
        unread = s.unread
    }
}

struct PostJSON: Encodable {
    var id: Int64
    var topicId: Int64
    var parentId: Int64?
    var depth: Int
    var author: String
    var authorName: String
    var body: String
    var created: Date
    var hidden: Bool
}

struct ThreadJSON: Encodable {
    var topic: TopicJSON
    var posts: [PostJSON]

    init(_ t: ThreadView, summary: TopicSummary) {
        topic = TopicJSON(summary)
        posts = ThreadTree.layout(t.posts).map { l in
            PostJSON(id: l.post.id ?? 0, topicId: l.post.topicId, parentId: l.post.parentId, depth: l.depth,
                     author: l.post.author, authorName: t.peers[l.post.author]?.name ?? l.post.author,
                     body: l.post.hidden ? "" : l.post.body, created: l.post.created, hidden: l.post.hidden)
        }
    }
}

struct PeerJSON: Encodable {
    var login: String
    var name: String
    var unit: String
    var region: String
    var generation: String
    var role: String
    var goals: String
    var offers: String
    var bio: String
    var joined: Date
    var left: Date?
    var alumni: Bool
    var welcomed: Bool

    init(_ p: Peer) {
        login = p.login
        name = p.name
        unit = p.unit
        region = p.region
        generation = p.generation
        role = p.role.rawValue
        goals = p.goals
        offers = p.offers
        bio = p.bio
        joined = p.joined
        left = p.left
        alumni = p.isAlumni
        welcomed = p.welcomedAt != nil
    }
}

struct SearchHitJSON: Encodable {
    var topicId: Int64
    var postId: Int64?
    var title: String
    var kind: String
    var snippet: String
    var relevance: Double
    init(_ h: SearchHit) {
        topicId = h.topicId
        postId = h.postId
        title = h.title
        kind = h.kind.rawValue
        snippet = h.snippet
        relevance = h.relevance
    }
}
