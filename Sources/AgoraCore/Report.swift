import Foundation

/// The facts the leader's report is computed from; the store fetches them, `LeaderReport.compute` stays pure.
public struct ReportFacts: Sendable {
    public struct TopicFact: Sendable {
        public var kind: TopicKind
        public var author: String
        public var created: Date
        public var status: TopicStatus
        public var answerCount: Int
        public var noAnswerNeeded: Bool
        /// The first post by anyone but the author.
        public var firstReply: Date?
        /// When the reply marked as its answer was written (nil: no answer marked).
        public var acceptedAnswer: Date?
        public init(kind: TopicKind, author: String, created: Date, status: TopicStatus = .open, answerCount: Int = 0,
                    noAnswerNeeded: Bool = false, firstReply: Date? = nil, acceptedAnswer: Date? = nil) {
            self.acceptedAnswer = acceptedAnswer
            self.kind = kind
            self.author = author
            self.created = created
            self.status = status
            self.answerCount = answerCount
            self.noAnswerNeeded = noAnswerNeeded
            self.firstReply = firstReply
        }
    }
    public struct PostFact: Sendable {
        public var author: String
        /// The author of the topic it is in: a post by someone else is a reply that may cross boundaries.
        public var topicAuthor: String
        public var created: Date
        public init(author: String, topicAuthor: String, created: Date) {
            self.author = author
            self.topicAuthor = topicAuthor
            self.created = created
        }
    }
    public var peers: [Peer]
    /// Topics created in the period.
    public var topics: [TopicFact]
    /// Posts (opening posts included) in the period.
    public var posts: [PostFact]
    public var highlights: [Date]
    public var testimonials: [(created: Date, shareable: Bool)]
    public init(peers: [Peer], topics: [TopicFact], posts: [PostFact], highlights: [Date], testimonials: [(created: Date, shareable: Bool)]) {
        self.peers = peers
        self.topics = topics
        self.posts = posts
        self.highlights = highlights
        self.testimonials = testimonials
    }
}

/// The leader's report: how the program is doing, with no individual singled out.
public struct LeaderReport: Codable, Equatable, Sendable {
    public struct Week: Codable, Equatable, Sendable {
        /// Monday 00:00 UTC.
        public var start: Date
        /// Members at the end of the week (alumni not counted).
        public var members: Int
        public var joined: Int
        public var left: Int
        /// People who posted that week.
        public var activePeers: Int
        public var topics: Int
        public var posts: Int
        public init(start: Date, members: Int, joined: Int, left: Int, activePeers: Int, topics: Int, posts: Int) {
            self.start = start
            self.members = members
            self.joined = joined
            self.left = left
            self.activePeers = activePeers
            self.topics = topics
            self.posts = posts
        }
    }
    /// One unit, region or generation. `members` is nil for "other" when fewer than the minimum remain even merged.
    public struct Group: Codable, Equatable, Sendable {
        public var name: String
        public var members: Int?
        public var activePeers: Int?
        public var repliesGiven: Int?
        public init(name: String, members: Int?, activePeers: Int?, repliesGiven: Int?) {
            self.name = name
            self.members = members
            self.activePeers = activePeers
            self.repliesGiven = repliesGiven
        }
    }

    /// Groups smaller than this are merged into "other" so nobody can be singled out.
    public static let minimumGroup = 5

    public var since: Date
    public var until: Date
    public var weeks: [Week]
    public var members: Int
    public var alumni: Int
    public var medianHoursToFirstReply: Double?
    public var requests: Int
    public var unansweredRequests: Int
    /// unansweredRequests / requests, 0...1 (nil without requests).
    public var unansweredShare: Double?
    /// Of `requests`, those with a reply marked as the answer.
    public var requestsAnswered = 0
    /// From a topic's start to the reply later marked as its answer (the topics started in the period that have one).
    public var medianHoursToAcceptedAnswer: Double?
    /// Posts in someone else's topic.
    public var replies: Int
    public var crossUnit: Int
    public var crossRegion: Int
    public var crossGeneration: Int
    public var highlights: Int
    public var testimonials: Int
    public var shareableTestimonials: Int
    /// Tags rising and falling over the last 30 days (filled by the store; empty in pure computations).
    public var trends: [TagTrend] = []
    public var byUnit: [Group]
    public var byRegion: [Group]
    public var byGeneration: [Group]

    public init(since: Date, until: Date, weeks: [Week], members: Int, alumni: Int, medianHoursToFirstReply: Double?,
                requests: Int, unansweredRequests: Int, unansweredShare: Double?, replies: Int, crossUnit: Int, crossRegion: Int,
                crossGeneration: Int, highlights: Int, testimonials: Int, shareableTestimonials: Int,
                byUnit: [Group], byRegion: [Group], byGeneration: [Group]) {
        self.since = since
        self.until = until
        self.weeks = weeks
        self.members = members
        self.alumni = alumni
        self.medianHoursToFirstReply = medianHoursToFirstReply
        self.requests = requests
        self.unansweredRequests = unansweredRequests
        self.unansweredShare = unansweredShare
        self.replies = replies
        self.crossUnit = crossUnit
        self.crossRegion = crossRegion
        self.crossGeneration = crossGeneration
        self.highlights = highlights
        self.testimonials = testimonials
        self.shareableTestimonials = shareableTestimonials
        self.byUnit = byUnit
        self.byRegion = byRegion
        self.byGeneration = byGeneration
    }

    /// Monday 00:00 UTC of the week `d` falls in (arithmetic, not `Calendar`: see `CivilTime`).
    public static func weekStart(_ d: Date) -> Date {
        let days = Int((d.timeIntervalSince1970 / 86400).rounded(.down))
        let sinceMonday = ((days + 3) % 7 + 7) % 7   // 1970-01-01 was a Thursday
        return Date(timeIntervalSince1970: Double(days - sinceMonday) * 86400)
    }

    public static func compute(_ f: ReportFacts, since: Date, now: Date, unansweredHours: Int = 24) -> LeaderReport {
        let week = 7 * 86400.0
        var starts: [Date] = []
        var s = weekStart(since)
        while s <= now { starts.append(s); s = s.addingTimeInterval(week) }
        func weekIndex(_ d: Date) -> Int? {
            guard d >= starts.first ?? now, d <= now else { return nil }
            let i = Int(d.timeIntervalSince(starts[0]) / week)
            return starts.indices.contains(i) ? i : nil
        }
        let inPeriod = { (d: Date) in d >= since && d <= now }
        let posts = f.posts.filter { inPeriod($0.created) }
        let topics = f.topics.filter { inPeriod($0.created) }
        var weeks = starts.map { Week(start: $0, members: 0, joined: 0, left: 0, activePeers: 0, topics: 0, posts: 0) }
        var activeByWeek = Array(repeating: Set<String>(), count: starts.count)
        for (i, w) in weeks.enumerated() {
            let end = min(now, w.start.addingTimeInterval(week))
            weeks[i].members = f.peers.filter { $0.joined < end && ($0.left.map { $0 >= end } ?? true) }.count
        }
        for p in f.peers {
            if let i = weekIndex(p.joined), p.joined >= since { weeks[i].joined += 1 }
            if let l = p.left, let i = weekIndex(l), l >= since { weeks[i].left += 1 }
        }
        for t in topics { if let i = weekIndex(t.created) { weeks[i].topics += 1 } }
        for p in posts {
            if let i = weekIndex(p.created) {
                weeks[i].posts += 1
                activeByWeek[i].insert(p.author)
            }
        }
        for i in weeks.indices { weeks[i].activePeers = activeByWeek[i].count }

        func median(_ values: [Double]) -> Double? {
            let v = values.sorted()
            guard !v.isEmpty else { return nil }
            return v.count % 2 == 1 ? v[v.count / 2] : (v[v.count / 2 - 1] + v[v.count / 2]) / 2
        }
        let toFirstReply = median(topics.compactMap { t in t.firstReply.map { $0.timeIntervalSince(t.created) / 3600 } })
        let toAnswer = median(topics.compactMap { t in t.acceptedAnswer.map { $0.timeIntervalSince(t.created) / 3600 } })
        // A request counts once its grace period is over.
        let requests = topics.filter { $0.kind == .request && now.timeIntervalSince($0.created) >= Double(unansweredHours) * 3600 }
        let unanswered = requests.filter { $0.answerCount == 0 && $0.status != .resolved && !$0.noAnswerNeeded }.count

        let byLogin = Dictionary(f.peers.map { ($0.login, $0) }) { a, _ in a }
        let replies = posts.filter { $0.author != $0.topicAuthor }
        func crossing(_ key: (Peer) -> String) -> Int {
            replies.filter { r in
                guard let a = byLogin[r.author], let b = byLogin[r.topicAuthor] else { return false }
                let x = key(a), y = key(b)
                return !x.isEmpty && !y.isEmpty && x.caseInsensitiveCompare(y) != .orderedSame
            }.count
        }
        let active = Set(posts.map(\.author))
        let repliesBy = Dictionary(grouping: replies, by: \.author).mapValues(\.count)
        let current = f.peers.filter { !$0.isAlumni || $0.left! > now }
        func groups(_ key: (Peer) -> String) -> [Group] {
            let byName = Dictionary(grouping: current) { p -> String in
                let k = key(p).trimmingCharacters(in: .whitespaces)
                return k.isEmpty ? "(not given)" : k
            }
            var big: [Group] = []
            var small: [Peer] = []
            for (name, people) in byName {
                if people.count >= minimumGroup {
                    big.append(Group(name: name, members: people.count, activePeers: people.filter { active.contains($0.login) }.count,
                                     repliesGiven: people.reduce(0) { $0 + (repliesBy[$1.login] ?? 0) }))
                } else {
                    small += people
                }
            }
            big.sort { ($0.members ?? 0, $1.name) > ($1.members ?? 0, $0.name) }
            if !small.isEmpty {
                let enough = small.count >= minimumGroup
                big.append(Group(name: "other", members: enough ? small.count : nil,
                                 activePeers: enough ? small.filter { active.contains($0.login) }.count : nil,
                                 repliesGiven: enough ? small.reduce(0) { $0 + (repliesBy[$1.login] ?? 0) } : nil))
            }
            return big
        }
        let tests = f.testimonials.filter { inPeriod($0.created) }
        var report = LeaderReport(
            since: since, until: now, weeks: weeks,
            members: current.count, alumni: f.peers.count - current.count,
            medianHoursToFirstReply: toFirstReply,
            requests: requests.count, unansweredRequests: unanswered,
            unansweredShare: requests.isEmpty ? nil : Double(unanswered) / Double(requests.count),
            replies: replies.count,
            crossUnit: crossing(\.unit), crossRegion: crossing(\.region), crossGeneration: crossing(\.generation),
            highlights: f.highlights.filter(inPeriod).count,
            testimonials: tests.count, shareableTestimonials: tests.filter(\.shareable).count,
            byUnit: groups(\.unit), byRegion: groups(\.region), byGeneration: groups(\.generation))
        report.requestsAnswered = requests.filter { $0.acceptedAnswer != nil }.count
        report.medianHoursToAcceptedAnswer = toAnswer
        return report
    }
}

// MARK: - Text forms

extension LeaderReport {
    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// One block character per value, scaled to the largest.
    public static func sparkline(_ values: [Int]) -> String {
        let top = values.max() ?? 0
        return String(values.map { v in
            top == 0 ? blocks[0] : blocks[min(7, Int((Double(v) / Double(top) * 7).rounded()))]
        })
    }

    /// A horizontal bar of `width` cells at most, in eighths.
    public static func bar(_ value: Int, of top: Int, width: Int) -> String {
        guard top > 0, value > 0, width > 0 else { return "" }
        let eighths = Int((Double(value) / Double(top) * Double(width * 8)).rounded())
        let partial: [String] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        return String(repeating: "█", count: eighths / 8) + partial[eighths % 8]
    }

    public static func percent(_ share: Double?) -> String {
        share.map { "\(Int(($0 * 100).rounded()))%" } ?? "—"
    }

    public static func hours(_ h: Double?) -> String {
        guard let h else { return "—" }
        if h < 1 { return "\(Int((h * 60).rounded())) min" }
        if h < 48 { return String(format: "%.1f h", h) }
        return String(format: "%.1f days", h / 24)
    }

    func share(_ n: Int) -> String { replies == 0 ? "—" : LeaderReport.percent(Double(n) / Double(replies)) }

    /// Headline numbers as (label, value), shared by Markdown, text and the TUI pane.
    public var headline: [(String, String)] {
        [("Members", "\(members) (\(alumni) alumni)"),
         ("Median time to first reply", Self.hours(medianHoursToFirstReply)),
         ("Unanswered requests", "\(unansweredRequests) of \(requests) (\(Self.percent(unansweredShare)))"),
         ("Requests answered", "\(requestsAnswered) of \(requests) (an answer accepted)"),
         ("Median to accepted answer", Self.hours(medianHoursToAcceptedAnswer)),
         ("Replies to others", "\(replies)"),
         ("… across units", "\(crossUnit) (\(share(crossUnit)))"),
         ("… across regions", "\(crossRegion) (\(share(crossRegion)))"),
         ("… across generations", "\(crossGeneration) (\(share(crossGeneration)))"),
         ("Highlights", "\(highlights)"),
         ("Testimonials", "\(testimonials) (\(shareableTestimonials) shareable)")]
    }

    /// A report a leader can paste into an email. Names in it come from the program: the caller sanitises.
    public func markdown(programName: String) -> String {
        var out = "# \(programName): report\n\n"
        out += "Period: \(RelativeAge.day(since)) to \(RelativeAge.day(until)). Groups smaller than \(Self.minimumGroup) people are merged into \"other\".\n\n"
        out += "## Summary\n\n| | |\n|---|---|\n"
        for (k, v) in headline { out += "| \(k) | \(v) |\n" }
        out += "\n## Week by week\n\n| Week of | Members | Joined | Left | Active peers | Topics | Posts |\n|---|---:|---:|---:|---:|---:|---:|\n"
        for w in weeks {
            out += "| \(RelativeAge.day(w.start)) | \(w.members) | \(w.joined) | \(w.left) | \(w.activePeers) | \(w.topics) | \(w.posts) |\n"
        }
        for (title, groups) in [("unit", byUnit), ("region", byRegion), ("generation", byGeneration)] where !groups.isEmpty {
            out += "\n## By \(title)\n\n| \(title.capitalized) | Members | Active | Replies given |\n|---|---:|---:|---:|\n"
            for g in groups {
                out += "| \(g.name) | \(g.members.map(String.init) ?? "<\(Self.minimumGroup)") | \(g.activePeers.map(String.init) ?? "—") | \(g.repliesGiven.map(String.init) ?? "—") |\n"
            }
        }
        if !trends.isEmpty {
            out += "\n## Tags: last \(Trends.windowDays) days against the \(Trends.windowDays) before\n\n| | Tag | Last | Before | Change |\n|---|---|---:|---:|---:|\n"
            for t in trends.prefix(10) {
                out += "| \(t.arrow) | \(t.tag) | \(t.recent) | \(t.previous) | \(t.change > 0 ? "+" : "")\(t.change) |\n"
            }
        }
        return out
    }
}
