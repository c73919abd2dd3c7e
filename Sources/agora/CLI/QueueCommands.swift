import AgoraCore
import AgoraStore
import ArgumentParser
import Foundation

/// `bare`: which way "30d" points for this option (back for the start of a period).
func parseDate(_ s: String, now: Date, option: String, bare: RelativeAge.Bare = .ahead) throws -> Date {
    guard let d = RelativeAge.parse(s, now: now, bare: bare) else {
        let forms = bare == .back ? "2026-09-01, -30d, 30d, -12h, yesterday, last-week or last-month"
                                  : "2026-12-01, 2026-12-01T09:00:00Z, +3d, +12h or tomorrow"
        throw AgoraError.invalid("'\(Sanitizer.line(s))' is not a date", hint: "\(option) takes \(forms)")
    }
    return d
}

struct QueueItemJSON: Encodable {
    var key: String
    var kind: String
    var title: String
    var topicId: Int64?
    var who: String
    var since: Date
    var age: String
    var claimedBy: String?
    var claimedAt: Date?
    var escalations: [String]
    /// A flag's post and reason.
    var postId: Int64?
    var reason: String?

    init(_ q: QueueItem, escalations: [Escalation]) {
        key = q.key
        kind = q.kind.rawValue
        title = q.titleWithReason
        topicId = q.topicId
        postId = q.postId
        reason = q.reason
        who = q.who
        since = q.since
        age = q.age.rawValue
        claimedBy = q.claim?.login
        claimedAt = q.claim?.claimedAt
        self.escalations = escalations.filter { $0.itemKey == q.key }.map { "\($0.by): \($0.note)" }
    }
}

struct QueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "What waits for a champion, oldest first (a peer sees their own open requests).",
        discussion: "Items: unanswered topics, newcomers to welcome, flagged posts, stalled requests, follow-ups due. Keys such as topic:12, peer:bob, flag:3 name them in claim, release, snooze and escalate.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let s = try Session.open(global)
        let items = try s.store.queue(for: s.login, now: s.now)
        // Escalation notes are champions' words to the leader: a peer sees their own items, not the notes.
        let canTriage = try s.store.program().map { Policy.allows(try s.store.peer(s.login), .viewQueue, in: $0) } ?? false
        let escalations = canTriage ? try s.store.openEscalations(now: s.now) : []
        if json { return try Output.json(items.map { QueueItemJSON($0, escalations: escalations) }) }
        if items.isEmpty { print("nothing waits"); return }
        Output.table(items.map { q in
            var claim = ""
            if let c = q.claim { claim = "claimed by \(Output.clean(c.login)), \(RelativeAge.short(c.claimedAt, now: s.now))" }
            return [RelativeAge.short(q.since, now: s.now), q.age.rawValue, q.kind.rawValue, q.key, Output.clean(q.titleWithReason), claim]
        })
        let shown = Set(items.map(\.key))
        let mine = escalations.filter { shown.contains($0.itemKey) }
        if !mine.isEmpty {
            print("")
            print("escalated to the leader:")
            for e in mine { print("  \(e.itemKey)  \(Output.clean(e.by)): \(Output.clean(e.note))") }
        }
    }
}

struct ClaimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claim", abstract: "Claim a queue item so other champions leave it to you (60 minutes without action releases it).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The item: topic:12, peer:bob, flag:3.") var item: String

    func run() throws {
        let s = try Session.open(global)
        try s.store.claim(item, by: s.login, now: s.now)
        print("claimed \(Output.clean(item))")
    }
}

struct ReleaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "release", abstract: "Release your claim on a queue item.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The item: topic:12, peer:bob, flag:3.") var item: String

    func run() throws {
        let s = try Session.open(global)
        try s.store.release(item, by: s.login, now: s.now)
        print("released \(Output.clean(item))")
    }
}

struct WelcomeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "welcome", abstract: "Mark a newcomer welcomed; with --message, also start a welcome topic for them.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The newcomer's login.") var login: String
    @Option(help: "A welcome message, posted as a topic 'Welcome, NAME!' tagged welcome.") var message: String?

    func run() throws {
        let s = try Session.open(global)
        let topic = try s.store.welcome(login, message: message, by: s.login, now: s.now)
        print("welcomed \(Output.clean(login))" + (topic.map { "; welcome topic \($0)" } ?? ""))
    }
}

struct FlagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flag", abstract: "Flag a post for a champion to look at; 'flag resolve' settles a flag.",
        subcommands: [Post.self, Resolve.self], defaultSubcommand: Post.self)

    struct Post: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Flag a post (the default: 'agora flag POST --reason TEXT').")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The post id (shown in 'agora show TOPIC').") var post: Int64
        @Option(help: "Why the post needs a champion.") var reason: String

        func run() throws {
            let s = try Session.open(global)
            let id = try s.store.flag(post: post, reason: reason, by: s.login, now: s.now)
            print("flagged post \(post) (flag:\(id)); a champion will look at it")
        }
    }

    struct Resolve: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Settle a flag: keep or hide the post, with a reason (champions).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The flag id (flag:3 in the queue is 3).") var flag: String
        @Flag(help: "Keep the post as it is.") var keep = false
        @Flag(help: "Hide the post (kept for the record, not shown).") var hide = false
        @Option(help: "Why; kept with the flag and in the audit log.") var reason: String

        func run() throws {
            guard keep != hide else { throw AgoraError.invalid("say --keep or --hide") }
            let raw = flag.hasPrefix("flag:") ? String(flag.dropFirst(5)) : flag
            guard let id = Int64(raw) else { throw AgoraError.invalid("'\(Sanitizer.line(flag))' is not a flag id", hint: "e.g. 3 or flag:3") }
            let s = try Session.open(global)
            try s.store.resolveFlag(id, hide: hide, reason: reason, by: s.login, now: s.now)
            print(hide ? "flag \(id) resolved: the post is hidden" : "flag \(id) resolved: the post stays")
        }
    }
}

struct ResolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve", abstract: "Mark a topic resolved (its author, or a champion); it leaves the queue.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The topic id.") var topic: Int64
    @Flag(help: "Mark it answered instead of resolved.") var answered = false

    func run() throws {
        let s = try Session.open(global)
        try s.store.setStatus(topic, answered ? .answered : .resolved, by: s.login, now: s.now)
        print("topic \(topic) is \(answered ? "answered" : "resolved")")
    }
}

struct SnoozeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "snooze", abstract: "Keep a queue item out of the queue until a date.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The item: topic:12, peer:bob, flag:3.") var item: String
    @Option(help: "2026-12-01, +3d, +12h or tomorrow.") var until: String

    func run() throws {
        let s = try Session.open(global)
        let date = try parseDate(until, now: s.now, option: "--until")
        try s.store.snooze(item, until: date, by: s.login, now: s.now)
        print("snoozed \(Output.clean(item)) until \(RelativeAge.iso(date))")
    }
}

struct EscalateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "escalate", abstract: "Pass a queue item to the leader with a note.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The item: topic:12, peer:bob, flag:3.") var item: String
    @Option(help: "What the leader should know.") var note: String

    func run() throws {
        let s = try Session.open(global)
        try s.store.escalate(item, note: note, by: s.login, now: s.now)
        print("escalated \(Output.clean(item)) to the leader")
    }
}

struct TopicCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topic", abstract: "Settings of one topic.", subcommands: [NoAnswerNeeded.self])

    struct NoAnswerNeeded: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "no-answer-needed", abstract: "Say your topic needs no answer: it stays out of the champion queue.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The topic id.") var topic: Int64
        @Flag(help: "Undo: the topic waits for an answer again.") var undo = false

        func run() throws {
            let s = try Session.open(global)
            try s.store.setNoAnswerNeeded(topic, !undo, by: s.login, now: s.now)
            print(undo ? "topic \(topic) waits for an answer again" : "topic \(topic) needs no answer")
        }
    }
}
