import AgoraCore
import AgoraStore
import ArgumentParser
import Foundation

func parseKind(_ s: String) throws -> TopicKind {
    guard let k = TopicKind(rawValue: s.lowercased()) else {
        throw AgoraError.invalid("unknown kind '\(Sanitizer.line(s))'",
                                 hint: "use one of: \(TopicKind.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    return k
}

struct PostCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "post",
        abstract: "Start a topic; the body comes from standard input or --body. Prints the new topic id.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "idea, concern, resource, request or discussion.") var kind: String
    @Option(help: "The topic's title (up to 200 characters).") var title: String
    @Option(name: .customLong("tag"), help: "A tag; repeat for several (up to 10).") var tags: [String] = []
    @Option(help: "The opening post's text (instead of standard input).") var body: String?
    @Option(help: "A structured dialogue: a template from 'agora template list' (its follow-up puts the topic back in the queue).")
    var template: String?
    @Option(name: .customLong("follow-up"), help: "When the topic comes back to the champion queue: 2026-12-01, +14d, tomorrow.")
    var followUp: String?

    func run() throws {
        let kind = try parseKind(kind)
        let title = try Limits.title(title)
        _ = try Limits.tags(tags)
        let s = try Session.open(global)
        let due = try followUp.map { text in
            guard let d = RelativeAge.parse(text, now: s.now) else {
                throw AgoraError.invalid("'\(Sanitizer.line(text))' is not a date", hint: "use 2026-12-01, an ISO time, +14d or tomorrow")
            }
            return d
        }
        if let template { _ = try s.store.template(named: template) }   // an unknown template fails before reading the body
        let text = try Input.body(body)
        let ids = try s.store.post(kind: kind, title: title, body: text, tags: tags, by: s.login, now: s.now,
                                template: template, followUp: due)
        print(ids.topic)
    }
}

struct ReplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reply",
        abstract: "Reply in a topic; the body comes from standard input or --body. Prints the new post id.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The topic id.") var topic: Int64
    @Option(help: "The post you answer (default: the topic as a whole).") var to: Int64?
    @Option(help: "The reply's text (instead of standard input).") var body: String?

    func run() throws {
        let s = try Session.open(global)
        _ = try s.store.thread(topic)   // an unknown topic fails before reading the body
        let text = try Input.body(body)
        print(try s.store.reply(topic: topic, parent: to, body: text, by: s.login, now: s.now))
    }
}

struct TopicsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topics", abstract: "List topics, newest activity first.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this kind.") var kind: String?
    @Option(help: "Only topics with this tag.") var tag: String?
    @Flag(help: "Only requests, concerns and questions with no reply yet from anyone but the author (what a peer sees as their open requests).") var unanswered = false
    @Option(help: "At most this many topics.") var limit = 100
    @Flag(help: "Print JSON.") var json = false

    func validate() throws { try ListLimit.validate(limit) }

    func run() throws {
        let s = try Session.open(global)
        // One more than asked: whether the listing was cut short.
        let q = TopicQuery(kind: try kind.map(parseKind), tag: tag, unansweredOnly: unanswered, limit: limit + 1)
        var list = try s.store.topics(q, for: s.login)
        if list.count > limit {
            list.removeLast(list.count - limit)
            ListLimit.noteMore(limit, "topics")
        }
        if json { return try Output.json(list.map(TopicJSON.init)) }
        if list.isEmpty { print("no topics"); return }
        Output.table(list.map { t in
            ["\(t.unread ? "*" : " ")\(t.topic.id ?? 0)", t.topic.kind.rawValue, "\(t.topic.postCount - 1)",
             RelativeAge.short(t.topic.lastActivity, now: s.now), Output.clean(t.topic.author),
             Output.clean(t.topic.title) + (t.tags.isEmpty ? "" : "  [" + Output.clean(t.tags.joined(separator: " ")) + "]")]
        })
    }
}

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a thread as a tree.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The topic id.") var topic: Int64
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let s = try Session.open(global)
        let t = try s.store.thread(topic, for: s.login)
        guard let summary = try s.store.topicSummary(topic, for: s.login) else { throw AgoraError.notFound("topic", "\(topic)") }
        if json { return try Output.json(ThreadJSON(t, summary: summary)) }
        print("#\(topic) [\(t.topic.kind.rawValue), \(t.topic.status.rawValue)] \(Output.clean(t.topic.title))")
        if !t.tags.isEmpty { print("tags: " + Output.clean(t.tags.joined(separator: " "))) }
        for line in ThreadTree.layout(t.posts) {
            let p = line.post
            let who = t.peers[p.author].map { "\(Output.clean($0.name)) (\(Output.clean($0.login))\($0.isAlumni ? ", alumni" : ""))" } ?? Output.clean(p.author)
            let continuation = line.guides.replacingOccurrences(of: "├─ ", with: "│  ").replacingOccurrences(of: "└─ ", with: "   ")
            print("")
            print("\(line.guides)[\(p.id ?? 0)] \(who), \(RelativeAge.long(p.created, now: s.now))\(p.edited != nil && !p.deleted ? " (edited)" : "")")
            let body = p.hidden ? "(hidden by a champion)" : p.deleted ? "(deleted by its author)" : Sanitizer.text(p.body)
            for l in body.split(separator: "\n", omittingEmptySubsequences: false) {
                print("\(continuation)  \(l)")
            }
        }
        if let last = t.posts.last?.id { try s.store.markRead(login: s.login, topic: topic, upTo: last) }
    }
}

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "search", abstract: "Full-text search over titles and posts, best first.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Words to look for (each must match, as a prefix).") var query: [String]
    @Option(help: "At most this many results.") var limit = 20
    @Flag(help: "Print JSON.") var json = false

    func validate() throws { try ListLimit.validate(limit) }

    func run() throws {
        let s = try Session.open(global)
        var hits = try s.store.search(query.joined(separator: " "), limit: limit + 1)
        if hits.count > limit {
            hits.removeLast(hits.count - limit)
            ListLimit.noteMore(limit, "matches")
        }
        if json { return try Output.json(hits.map(SearchHitJSON.init)) }
        if hits.isEmpty { print("no matches"); return }
        for h in hits {
            print("\(h.topicId)\t\(h.kind.rawValue)\t\(Output.clean(h.title))")
            if !h.snippet.isEmpty { print("\t\(Output.clean(h.snippet))") }
        }
    }
}

struct EditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Change the text of one of your posts; the new text comes from standard input or --body. The old text is kept as its history.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The post id (agora show TOPIC lists them).") var post: Int64
    @Option(help: "The new text (instead of standard input).") var body: String?

    func run() throws {
        let s = try Session.open(global)
        _ = try s.store.postHistory(post, by: s.login)   // an unknown post fails before reading the text
        try s.store.editPost(post, body: try Input.body(body), by: s.login, now: s.now)
        print("post \(post) edited")
    }
}

struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete one of your posts: it shows as deleted by its author, and the replies to it stay.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The post id (agora show TOPIC lists them).") var post: Int64

    func run() throws {
        let s = try Session.open(global)
        try s.store.deletePost(post, by: s.login, now: s.now)
        print("post \(post) deleted")
    }
}

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "A post's earlier texts, oldest first (a deleted post's: the leader only).")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The post id.") var post: Int64
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let s = try Session.open(global)
        let revisions = try s.store.postHistory(post, by: s.login)
        if json { return try Output.json(revisions) }
        guard !revisions.isEmpty else { return print("post \(post) was never edited") }
        for r in revisions {
            print("until \(RelativeAge.long(r.replaced, now: s.now)) (\(RelativeAge.day(r.replaced))):")
            for l in Sanitizer.text(r.body).split(separator: "\n", omittingEmptySubsequences: false) { print("  \(l)") }
        }
    }
}
