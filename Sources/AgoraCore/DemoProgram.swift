import Foundation

/// A realistic, deterministic demo program: the same seed gives the same program, byte for byte.
/// Several units, regions and generations; topics of every kind; a few long threads and many short ones;
/// some requests never answered and some newcomers not yet welcomed, so the champion queue has work.
public struct DemoProgram: Codable, Sendable {
    public var peers = 60
    public var topics = 300
    public var posts = 2000
    public var seed: UInt64 = 1
    /// The demo's user has not accepted its rules yet, so that the first run shows the rules screen (the welcome
    /// screen's `d`); `agora demo` leaves them accepted for scripts and benchmarks.
    public var rulesPending = false
    public init(peers: Int = 60, topics: Int = 300, posts: Int = 2000, seed: UInt64 = 1, rulesPending: Bool = false) {
        self.peers = peers
        self.topics = topics
        self.posts = posts
        self.seed = seed
        self.rulesPending = rulesPending
    }

    public static let rules = """
        1. Assume good intent; ask before you judge.
        2. What is shared in the circle stays in the circle: no customers' or colleagues' names from outside it.
        3. Answer a request you can help with within a day, or say who could.
        4. Give feedback on the work, never on the person.
        5. Something worries you in a post? Flag it (! in the reader): a champion will look at it.
        """
    public static let expectedReturn = "for about an hour a week, an answer to your requests within a day and a mentor from another unit within a month."

    public struct Summary: Codable, Sendable {
        public var peers: Int
        public var topics: Int
        public var posts: Int
        public var champions: [String]
        public var unwelcomed: [String]
        public init(peers: Int, topics: Int, posts: Int, champions: [String], unwelcomed: [String]) {
            self.peers = peers
            self.topics = topics
            self.posts = posts
            self.champions = champions
            self.unwelcomed = unwelcomed
        }
    }

    public static let units = ["Engineering", "Sales", "Finance", "Operations", "People", "Marketing", "Legal", "Support"]
    public static let regions = ["EMEA", "Americas", "APAC", "LATAM", "Nordics"]
    public static let generations = ["Boomer", "Gen X", "Millennial", "Gen Z"]
    public static let firsts = ["Ada", "Bilal", "Chen", "Dana", "Emeka", "Fatima", "Gustav", "Hana", "Ines", "Jamal", "Keiko", "Lars",
                         "Maya", "Nikhil", "Olga", "Pedro", "Qing", "Rosa", "Sven", "Tariq", "Uma", "Viktor", "Wen", "Ximena",
                         "Yusuf", "Zoë", "José", "Ngozi", "Søren", "Aroha", "李娜", "Thảo"]
    public static let lasts = ["Okafor", "Lindqvist", "Tanaka", "Silva", "Novak", "Haddad", "Kowalski", "Mensah", "García", "Müller",
                        "Nguyễn", "Patel", "Rossi", "Schmidt", "Ivanova", "O'Brien", "Kim", "Dubois", "Andersen", "Costa"]
    public static let skills = ["SQL", "negotiation", "public speaking", "Swift", "budgeting", "hiring", "customer interviews",
                         "data visualisation", "project planning", "coaching", "contract law", "pricing", "Kubernetes",
                         "writing", "facilitation", "Excel", "statistics", "design reviews", "onboarding", "remote teams"]
    public static let tags = ["career", "onboarding", "tools", "remote", "leadership", "data", "customers", "process", "learning",
                       "wellbeing", "hiring", "cross-team", "feedback", "planning", "ai"]
    public static let subjects = ["quarterly planning", "the new CRM", "cross-team handovers", "our onboarding checklist",
                           "code review etiquette", "pricing experiments", "remote stand-ups", "the hiring loop",
                           "customer churn data", "expense approvals", "mentoring across time zones", "meeting-free Fridays",
                           "the data warehouse migration", "giving upward feedback", "writing better proposals",
                           "the support escalation path", "learning budgets", "inclusive workshops", "vendor contracts",
                           "dashboards nobody reads"]
    public static let titles: [TopicKind: [String]] = [
        .idea: ["Idea: a shared playbook for %@", "What if we rethought %@?", "Proposal: pair up on %@", "Small experiment with %@"],
        .concern: ["Worried about %@", "Is anyone else struggling with %@?", "%@ is slowing my team down", "Concern: %@ after the reorg"],
        .resource: ["Great guide to %@", "Template for %@", "Notes from a talk on %@", "Reading list: %@"],
        .request: ["Looking for help with %@", "Can someone walk me through %@?", "Need a mentor for %@", "Request: review my plan for %@"],
        .discussion: ["How do you handle %@?", "Lessons learned from %@", "Let's talk about %@", "Your experience with %@?"],
    ]
    public static let sentences = [
        "In my unit we tried a lighter version of %@ and it saved us a week.",
        "I would love to hear how other regions approach %@.",
        "The hardest part for me is knowing who to ask about %@.",
        "We wrote down what worked and what did not; happy to share the notes.",
        "Could we set up a thirty-minute call to compare approaches?",
        "Thanks, this is exactly the perspective I was missing.",
        "I learned this the hard way last year, so here is what I would do differently.",
        "Our generation of managers was taught the opposite, which is why this is interesting.",
        "One thing that helped: agree on the outcome before discussing the method.",
        "I can offer an hour a week on %@ if someone wants to pair.",
        "Has anyone measured the effect of %@ on the team?",
        "Here is a checklist we use: context, options, decision, follow-up.",
        "This connects to the discussion about %@ from last month.",
        "I disagree a little: the cost of %@ is mostly hidden in handovers.",
        "Great question. Start small, pick one team, and write down what you learn.",
        "+1, same problem in our region, especially with %@.",
    ]

    /// Puts `word` where the template says %@ (String(format:) is slow on Linux, and this runs a million times).
    public static func fill(_ template: String, _ word: String) -> String {
        guard let r = template.range(of: "%@") else { return template }
        return template.replacingCharacters(in: r, with: word)
    }

    public struct Random {
        public var state: UInt64
        public init(state: UInt64) { self.state = state }
        public mutating func next() -> UInt64 {   // SplitMix64: tiny, fast, identical on every platform
            state &+= 0x9E3779B97F4A7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            return z ^ (z >> 31)
        }
        public mutating func int(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
        public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
        public mutating func pick<T>(_ a: [T]) -> T { a[int(a.count)] }
        /// `n` different elements of `a` (all of them when it has fewer).
        public mutating func distinct<T>(_ n: Int, of a: [T]) -> [T] {
            var pool = a, out: [T] = []
            while out.count < n && !pool.isEmpty { out.append(pool.remove(at: int(pool.count))) }
            return out
        }
        public mutating func chance(_ p: Double) -> Bool { unit() < p }
    }
}

