import AgoraCore
import AgoraStore
import ArgumentParser
import Foundation

struct HighlightCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "highlight", abstract: "Highlight a topic or post with a sentence on what made it valuable.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The topic id.") var topic: Int64
    @Option(help: "One post in the topic.") var post: Int64?
    @Option(help: "What made it valuable.") var why: String

    func run() throws {
        let s = try Session.open(global)
        let id = try s.store.highlight(topic: topic, post: post, why: why, by: s.login, now: s.now)
        print("highlighted \(post.map { "post \($0) in " } ?? "")topic \(topic) (highlight \(id))")
    }
}

struct HighlightJSON: Encodable {
    var id: Int64
    var topicId: Int64
    var postId: Int64?
    var topicTitle: String
    var by: String
    var byName: String
    var why: String
    var created: Date
    init(_ h: HighlightSummary) {
        id = h.highlight.id ?? 0
        topicId = h.highlight.topicId
        postId = h.highlight.postId
        topicTitle = h.topicTitle
        by = h.highlight.by
        byName = h.byName
        why = h.highlight.why
        created = h.highlight.created
    }
}

struct HighlightsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "highlights", abstract: "List highlights, newest first.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "At most this many.") var limit = 50

    func validate() throws { try ListLimit.validate(limit) }
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let s = try Session.open(global)
        let list = try s.store.highlights(limit: limit)
        if json { return try Output.json(list.map(HighlightJSON.init)) }
        if list.isEmpty { print("no highlights yet"); return }
        for h in list {
            let target = "#\(h.highlight.topicId)" + (h.highlight.postId.map { "/\($0)" } ?? "")
            print("\(RelativeAge.day(h.highlight.created))  \(target)  \(Output.clean(h.topicTitle))")
            print("    \(Output.clean(h.byName)) (\(Output.clean(h.highlight.by))): \(Output.clean(h.highlight.why))")
        }
    }
}

struct TestimonialJSON: Encodable {
    var id: Int64
    var by: String
    var text: String
    var shareable: Bool
    var created: Date
    init(_ t: Testimonial) {
        id = t.id ?? 0
        by = t.by
        text = t.text
        shareable = t.shareable
        created = t.created
    }
}

struct TestimonialCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "testimonial", abstract: "Testimonials: what the program gave you.", subcommands: [Add.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a testimonial; the text comes from standard input or --text.",
            discussion: "Only testimonials written with --share leave the program (in exports); others are seen by you and the leader.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "The text (instead of standard input).") var text: String?
        @Flag(help: "It may be shared beyond the program.") var share = false

        func run() throws {
            let s = try Session.open(global)
            let body = try Input.body(text)
            let id = try s.store.addTestimonial(body, shareable: share, by: s.login, now: s.now)
            print("thank you; testimonial \(id) saved\(share ? ", shareable" : ", kept inside the program")")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List testimonials you may read (the leader: all).")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let s = try Session.open(global)
            let list = try s.store.testimonials(for: s.login)
            if json { return try Output.json(list.map(TestimonialJSON.init)) }
            if list.isEmpty { print("no testimonials yet"); return }
            for t in list {
                print("\(RelativeAge.day(t.created))  \(Output.clean(t.by))\(t.shareable ? "  (shareable)" : "")")
                for line in Sanitizer.text(t.text).split(separator: "\n", omittingEmptySubsequences: false) { print("    \(line)") }
            }
        }
    }
}

struct InboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inbox",
        abstract: "What is for you: mentions (@login), replies to your posts and topics, posts in topics you watch, welcomes.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Only the unread ones.") var unread = false
    @Flag(name: .customLong("mark-read"), help: "Mark them all read after listing them.") var markRead = false
    @Option(help: "At most this many (newest first).") var limit = 50
    @Flag(help: "Print JSON.") var json = false

    func validate() throws { try ListLimit.validate(limit) }

    func run() throws {
        let s = try Session.open(global)
        try s.requireMember()
        let items = try s.store.notifications(for: s.login, unreadOnly: unread, limit: limit)
        if json {
            try Output.json(items)
        } else if items.isEmpty {
            print(unread ? "nothing unread in your inbox" : "your inbox is empty")
        } else {
            for n in items {
                let place = n.topicId.map { "#\($0)" + (n.postId.map { "/\($0)" } ?? "") } ?? "-"
                let about = n.topicTitle.isEmpty ? "" : "  \(Output.clean(n.topicTitle))"
                print("\(n.read ? " " : "●") \(RelativeAge.day(n.created))  \(place)  \(Output.clean(n.actorName)) (\(Output.clean(n.actor))) \(n.kind.label)\(about)")
            }
        }
        if markRead { try s.store.markNotificationsRead(for: s.login, ids: nil, now: s.now) }
    }
}

struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "How much a topic (or every topic with a tag) tells you: watching (every new post), normal (replies to you and mentions), muted (nothing).",
        discussion: """
        Your own topics start as watching; every other topic as normal. A level set on a topic wins over its tags'; \
        of its tags' levels the strongest counts (watching, then normal, then muted). Muting marks read what it mutes. \
        Without --level, prints the level.
        """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The topic id (or --tag).") var topic: Int64?
    @Option(help: "Every topic with this tag, instead of one topic.") var tag: String?
    @Option(help: "watching, normal or muted.") var level: String?

    func validate() throws {
        if (topic == nil) == (tag == nil) { throw ValidationError("give a topic id or --tag TAG (one of them)") }
    }

    func run() throws {
        let s = try Session.open(global)
        try s.requireMember()
        let chosen = try level.map { raw in
            guard let l = WatchLevel(rawValue: raw.lowercased()) else {
                throw AgoraError.invalid("unknown level '\(Sanitizer.line(raw))'", hint: "use one of: watching, normal, muted")
            }
            return l
        }
        if let tag {
            if let chosen { try s.store.setTagWatch(tag, level: chosen, by: s.login, now: s.now) }
            print("tag \(Output.clean(tag.lowercased())): \(try s.store.tagWatchLevel(tag, for: s.login).rawValue)")
        } else if let topic {
            if let chosen { try s.store.setWatch(topic, level: chosen, by: s.login, now: s.now) }
            print("topic \(topic): \(try s.store.watchLevel(topic, for: s.login).rawValue)")
        }
    }
}

struct DigestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "What you missed, for cron and the host's sendmail: your unread notifications, new topics, highlights.",
        discussion: """
        Prints nothing when nothing is new, so cron sends no empty mail. Agora sends nothing itself. A crontab line:
          0 8 * * 1-5  agora digest --since yesterday | ifne mail -s "Agora" "$LOGNAME"
        """)
    enum Format: String, ExpressibleByArgument, CaseIterable { case text, markdown }

    @OptionGroup var global: GlobalOptions
    @Option(parsing: .unconditional, help: "From when: 2026-09-01, -7d or 7d (7 days ago), yesterday, last-week (default: 7 days ago).") var since: String?
    @Option(help: "text or markdown.") var format: Format = .text

    func run() throws {
        let s = try Session.open(global)
        try s.requireMember()
        let from = try since.map { try parseDate($0, now: s.now, option: "--since", bare: .back) } ?? s.now.addingTimeInterval(-7 * 86400)
        guard from <= s.now else { throw AgoraError.invalid("--since is in the future", hint: "a digest covers a past period: --since -7d or yesterday") }
        let items = try s.store.notifications(for: s.login, unreadOnly: true, limit: 200).filter { $0.created >= from }
        let topics = try s.store.topics(TopicQuery(limit: 500), for: s.login).filter { $0.topic.created >= from && $0.topic.author != s.login }
        let highlights = try s.store.highlights(limit: 100).filter { $0.highlight.created >= from }
        guard !items.isEmpty || !topics.isEmpty || !highlights.isEmpty else { return }
        let md = format == .markdown
        func heading(_ t: String) { print(md ? "\n## \(t)\n" : "\n\(t)") }
        func line(_ t: String) { print(md ? "- \(Exporter.markdownInline(t))" : "  \(Output.clean(t))") }
        let program = try s.store.program()?.name ?? "Agora"
        print(md ? "# \(Exporter.markdownInline(program)): since \(RelativeAge.day(from))" : "\(Output.clean(program)): since \(RelativeAge.day(from))")
        if !items.isEmpty {
            heading("For you (\(items.count))")
            for n in items {
                let place = n.topicId.map { " (#\($0))" } ?? ""
                line("\(n.actorName) \(n.kind.label)" + (n.topicTitle.isEmpty ? "" : ": \(n.topicTitle)") + place)
            }
        }
        if !topics.isEmpty {
            heading("New topics (\(topics.count))")
            for t in topics.prefix(20) { line("#\(t.topic.id ?? 0) [\(t.topic.kind.rawValue)] \(t.topic.title), by \(t.authorName)") }
            if topics.count > 20 { line("… and \(topics.count - 20) more: agora topics") }
        }
        if !highlights.isEmpty {
            heading("Highlights (\(highlights.count))")
            for h in highlights.prefix(10) { line("#\(h.highlight.topicId) \(h.topicTitle): \(h.highlight.why) (\(h.byName))") }
        }
        print(md ? "\nOpen it with `agora` (or `agora inbox`)." : "\nOpen it with 'agora' (or 'agora inbox').")
    }
}

struct AcceptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accept",
        abstract: "Mark a reply as its topic's answer (the topic's author or a champion); again to take the mark back.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The reply's post id (agora show TOPIC lists them).") var post: Int64

    func run() throws {
        let s = try Session.open(global)
        let accepted = try s.store.acceptAnswer(post, by: s.login, now: s.now)
        print(accepted ? "post \(post) is the answer" : "post \(post) is no longer the answer")
    }
}

struct BookmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bookmark",
        abstract: "Keep a post for later (only you see your bookmarks; 'agora bookmarks' lists them).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The post id (agora show TOPIC lists them).") var post: Int64
    @Flag(help: "Let the bookmark go instead.") var remove = false

    func run() throws {
        let s = try Session.open(global)
        try s.requireMember()
        if remove {
            guard try s.store.bookmarks(login: s.login).contains(where: { $0.postId == post }) else {
                throw AgoraError.invalid("post \(post) is not among your bookmarks", hint: "see 'agora bookmarks'")
            }
        }
        try s.store.setBookmark(login: s.login, post: post, !remove, now: s.now)
        print(remove ? "bookmark on post \(post) removed" : "post \(post) bookmarked")
    }
}

struct BookmarksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bookmarks",
        abstract: "The posts you bookmarked, newest first: when, where (#topic/post), who wrote it, its first line.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let s = try Session.open(global)
        try s.requireMember()
        let marks = try s.store.bookmarks(login: s.login)
        if json { return try Output.json(marks) }
        if marks.isEmpty { return print("no bookmarks (press * on a post in the reader, or 'agora bookmark POST')") }
        for b in marks {
            print("\(RelativeAge.day(b.created))  #\(b.topicId)/\(b.postId)  \(Output.clean(b.authorName)) (\(Output.clean(b.author)))  \(Output.clean(b.topicTitle))")
            print("\t\(Output.clean(b.excerpt))")
        }
    }
}
