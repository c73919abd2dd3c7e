/// Keeping the program's members in step with a Unix group (`agora admin sync-users`).
///
/// Pure: the accounts come from an `AccountDirectory` (the system's password and group databases,
/// or files in that format for tests), the peers from the store; the result is a plan to print or apply.
public struct UnixAccount: Equatable, Sendable {
    public var login: String
    public var gid: UInt32
    /// The GECOS full name (the part before the first comma), or "".
    public var fullName: String
    public init(login: String, gid: UInt32, fullName: String) {
        self.login = login
        self.gid = gid
        self.fullName = fullName
    }
}

public struct UnixGroup: Equatable, Sendable {
    public var name: String
    public var gid: UInt32
    public var members: [String]
    public init(name: String, gid: UInt32, members: [String]) {
        self.name = name
        self.gid = gid
        self.members = members
    }
}

/// Where accounts and groups are looked up.
public protocol AccountDirectory {
    func account(_ login: String) -> UnixAccount?
    func group(_ name: String) -> UnixGroup?
    /// Accounts whose primary group is `gid` (they belong to it without being listed in it).
    func accounts(withPrimaryGroup gid: UInt32) -> [UnixAccount]
}

extension AccountDirectory {
    /// Everyone in the group: listed members that exist, plus accounts whose primary group it is.
    public func members(of name: String) -> Set<String>? {
        guard let g = group(name) else { return nil }
        var logins = Set(g.members.filter { account($0) != nil })
        for a in accounts(withPrimaryGroup: g.gid) { logins.insert(a.login) }
        return logins
    }
}

/// Accounts read from text in /etc/passwd and /etc/group format (tests, or a copy of another host's files).
public struct AccountFiles: AccountDirectory {
    public var accounts: [String: UnixAccount] = [:]
    public var groups: [String: UnixGroup] = [:]

    public init(passwd: String, group: String) {
        for line in passwd.split(separator: "\n") where !line.hasPrefix("#") {
            let f = line.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 5, !f[0].isEmpty, let gid = UInt32(f[3]) else { continue }
            accounts[f[0]] = UnixAccount(login: f[0], gid: gid, fullName: f[4].split(separator: ",").first.map(String.init) ?? "")
        }
        for line in group.split(separator: "\n") where !line.hasPrefix("#") {
            let f = line.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 4, !f[0].isEmpty, let gid = UInt32(f[2]) else { continue }
            groups[f[0]] = UnixGroup(name: f[0], gid: gid, members: f[3].split(separator: ",").map(String.init))
        }
    }

    public func account(_ login: String) -> UnixAccount? { accounts[login] }
    public func group(_ name: String) -> UnixGroup? { groups[name] }
    public func accounts(withPrimaryGroup gid: UInt32) -> [UnixAccount] {
        accounts.values.filter { $0.gid == gid }.sorted { $0.login < $1.login }
    }
}

/// What `sync-users` changes, in the order it prints it.
public struct UserSyncPlan: Equatable, Sendable {
    public struct Change: Equatable, Sendable {
        public var login: String
        public var name: String
        public var why: String
    }
    /// In the group, not yet peers: added as peers.
    public var add: [Change] = []
    /// Alumni who are back in the group: active again.
    public var rejoin: [Change] = []
    /// Active peers no longer in the group, or gone from the system: become alumni.
    public var leave: [Change] = []
    /// Leaders outside the group: never changed automatically, only reported.
    public var keptLeaders: [Change] = []

    public var isEmpty: Bool { add.isEmpty && rejoin.isEmpty && leave.isEmpty }

    /// Compares the group's members with the peers. Leaders are never made alumni by a sync:
    /// losing the last leader would leave a program nobody can manage.
    public static func make(group name: String, members: Set<String>, peers: [Peer], directory: AccountDirectory) -> UserSyncPlan {
        var plan = UserSyncPlan()
        let byLogin = Dictionary(peers.map { ($0.login, $0) }, uniquingKeysWith: { a, _ in a })
        for login in members.sorted() {
            if let p = byLogin[login] {
                if p.isAlumni { plan.rejoin.append(Change(login: login, name: p.name, why: "back in group \(name)")) }
            } else {
                let full = directory.account(login)?.fullName ?? ""
                plan.add.append(Change(login: login, name: full.isEmpty ? login : full, why: "member of group \(name)"))
            }
        }
        for p in peers.sorted(by: { $0.login < $1.login }) where !p.isAlumni && !members.contains(p.login) {
            let why = directory.account(p.login) == nil ? "no longer has an account on this host" : "not in group \(name)"
            if p.role == .leader {
                plan.keptLeaders.append(Change(login: p.login, name: p.name, why: why))
            } else {
                plan.leave.append(Change(login: p.login, name: p.name, why: why))
            }
        }
        return plan
    }
}
