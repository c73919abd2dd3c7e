import Foundation
import AgoraCore
import AgoraTUI

/// Small hand-made programs for screen tests: fixed dates, a few peers (one CJK name, one emoji),
/// topics of every kind, one thread with replies.
public enum Fixtures {
    /// 2026-05-28 20:26:40 UTC: every fixture age is relative to this.
    public static let now = Date(timeIntervalSince1970: 1_780_000_000)

    public static func ago(_ seconds: Double, from now: Date = now) -> Date { now.addingTimeInterval(-seconds) }
    public static let hour = 3600.0
    public static let day = 86400.0

    public static func peers(now: Date = now) -> [Peer] {
        [
            Peer(login: "ana", name: "Ana Lima", unit: "Platform", region: "Lisbon", generation: "2024", role: .champion,
                 goals: "public speaking", offers: "Swift, code review", joined: ago(200 * day, from: now), rulesAckVersion: 1),
            Peer(login: "maria", name: "Maria Santos", unit: "Research", region: "Porto", generation: "2019", role: .leader,
                 goals: "", offers: "career advice", joined: ago(400 * day, from: now), rulesAckVersion: 1),
            Peer(login: "wang", name: "王芳", unit: "研究", region: "Beijing", generation: "2023", role: .peer,
                 goals: "写作", offers: "数据分析", joined: ago(90 * day, from: now), rulesAckVersion: 1),
            Peer(login: "zoe", name: "Zoë 🚀", unit: "Design", region: "Berlin", generation: "2025", role: .peer,
                 goals: "code review", offers: "UX research", joined: ago(10 * hour, from: now), rulesAckVersion: 1),
            Peer(login: "olaf", name: "Olaf Berg", unit: "Ops", region: "Oslo", generation: "2018", role: .peer,
                 joined: ago(900 * day, from: now), left: ago(30 * day, from: now)),
        ]
    }

    public static func program(now: Date = now) -> Program {
        var p = Program(name: "Mentoring Circle", purpose: "Peers helping peers", created: ago(400 * day, from: now))
        p.rulesText = "Be kind. Assume good intent.\nKeep what is shared here inside the program."
        p.rulesVersion = 1
        p.expectedReturn = "an hour a week"
        return p
    }

    static func topic(_ id: Int64, _ kind: TopicKind, _ title: String, by author: String, posts: Int, answers: Int,
                      active: Date, status: TopicStatus = .open) -> Topic {
        Topic(id: id, kind: kind, title: title, author: author, status: status, created: active.addingTimeInterval(-hour),
              lastActivity: active, postCount: posts, answerCount: answers, lastPostId: id * 100 + Int64(posts))
    }

    public static func topics(now: Date = now) -> [TopicRow] {
        let names = Dictionary(uniqueKeysWithValues: peers(now: now).map { ($0.login, $0.name) })
        func row(_ t: Topic, tags: [String] = [], unread: Bool) -> TopicRow {
            TopicRow(topic: t, tags: tags, authorName: names[t.author] ?? t.author, unread: unread)
        }
        return [
            row(topic(1, .request, "How do I get started with code review?", by: "zoe", posts: 4, answers: 3, active: ago(2 * hour, from: now)),
                tags: ["review", "newcomer"], unread: true),
            row(topic(2, .idea, "Monthly lightning talks", by: "maria", posts: 5, answers: 4, active: ago(1 * day, from: now)),
                tags: ["talks"], unread: false),
            row(topic(3, .discussion, "远程工作的最佳实践", by: "wang", posts: 2, answers: 1, active: ago(3 * hour, from: now)),
                tags: ["remote"], unread: true),
            row(topic(4, .concern, "On-call burnout", by: "ana", posts: 1, answers: 0, active: ago(30 * hour, from: now)),
                unread: false),
            row(topic(5, .resource, "Swift concurrency notes", by: "ana", posts: 2, answers: 1, active: ago(15 * day, from: now),
                      status: .resolved), tags: ["swift"], unread: false),
        ]
    }

    public static func queue(now: Date = now) -> [QueueRow] {
        [
            QueueRow(kind: .unanswered, key: "topic:4", title: "On-call burnout", since: ago(30 * hour, from: now), topicId: 4, who: "ana"),
            QueueRow(kind: .newcomer, key: "peer:zoe", title: "Zoë 🚀 (zoe) joined", since: ago(10 * hour, from: now), login: "zoe", who: "zoe"),
            QueueRow(kind: .unanswered, key: "topic:3", title: "远程工作的最佳实践", since: ago(3 * hour, from: now),
                     claimedBy: "ana", claimedAt: ago(20 * 60, from: now), topicId: 3, who: "wang"),
        ]
    }

    /// The program as `me` (default ana, a champion) sees it.
    public static func smallProgram(now: Date = now, me login: String? = "ana") -> Snapshot {
        let peers = peers(now: now)
        return Snapshot(program: program(now: now), me: peers.first { $0.login == login }, topics: topics(now: now),
                        peers: peers, queue: queue(now: now))
    }

    /// Topic 1 as a thread: zoe asks, ana answers, maria answers ana, wang answers the topic.
    /// Posts after 102 are new to the reader.
    public static func thread(now: Date = now, lastRead: Int64 = 102) -> ThreadSnapshot {
        let t = topics(now: now)[0].topic
        let posts = [
            Post(id: 101, topicId: 1, author: "zoe",
                 body: "I'd like to start reviewing code but I'm not sure where to begin.\nAny tips?", created: ago(5 * hour, from: now)),
            Post(id: 102, topicId: 1, parentId: 101, author: "ana",
                 body: "Start with small pull requests and read the tests first.", created: ago(4 * hour, from: now)),
            Post(id: 103, topicId: 1, parentId: 102, author: "maria",
                 body: "+1. Ask questions in the review; nobody minds.", created: ago(3 * hour, from: now)),
            Post(id: 104, topicId: 1, author: "wang", body: "我也想学习。", created: ago(2 * hour, from: now)),
        ]
        let byLogin = Dictionary(uniqueKeysWithValues: peers(now: now).map { ($0.login, $0) })
        return ThreadSnapshot(topic: t, tags: ["review", "newcomer"], posts: posts, peers: byLogin, lastReadPostId: lastRead)
    }

    /// Topic 3 (read up to nothing): a short thread for "next unread" across topics.
    public static func cjkThread(now: Date = now) -> ThreadSnapshot {
        let t = topics(now: now)[2].topic
        let posts = [
            Post(id: 301, topicId: 3, author: "wang", body: "大家好！你们怎么安排远程工作？", created: ago(4 * hour, from: now)),
            Post(id: 302, topicId: 3, parentId: 301, author: "zoe", body: "Fixed hours and a walk 🚶 at noon.", created: ago(3 * hour, from: now)),
        ]
        let byLogin = Dictionary(uniqueKeysWithValues: peers(now: now).map { ($0.login, $0) })
        return ThreadSnapshot(topic: t, tags: ["remote"], posts: posts, peers: byLogin, lastReadPostId: 0)
    }
}
