import AgoraCore
import Foundation
import Testing

/// `agora admin sync-users` on a fake password and group database.
@Suite("sync-users")
struct UserSyncTests {
    static let passwd = """
    root:x:0:0:root:/root:/bin/bash
    lea:x:1000:1000:Lea Leader,,,:/home/lea:/bin/sh
    ana:x:1001:1001:Ana Lima:/home/ana:/bin/sh
    bo:x:1002:1002:Bo Berg:/home/bo:/bin/sh
    olga:x:1003:1003:Olga Old:/home/olga:/bin/sh
    newbie:x:1004:1004:New Bie,room 3:/home/newbie:/bin/sh
    prim:x:1005:2000:Primary Member:/home/prim:/bin/sh
    """
    static let group = """
    root:x:0:
    mentoring:x:2000:ana,olga,newbie,ghost
    other:x:2001:bo
    """

    @Test("the plan: add members, rejoin returning alumni, retire leavers and removed accounts, never a leader")
    func plan() {
        let dir = AccountFiles(passwd: Self.passwd, group: Self.group)
        let members = dir.members(of: "mentoring")
        #expect(members == ["ana", "olga", "newbie", "prim"], "ghost has no account; prim belongs by primary group")
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let peers = [Peer(login: "lea", name: "Lea", role: .leader, joined: now), Peer(login: "ana", name: "Ana", joined: now),
                     Peer(login: "bo", name: "Bo", joined: now), Peer(login: "olga", name: "Olga", joined: now, left: now),
                     Peer(login: "gone", name: "Gone", joined: now)]
        let plan = UserSyncPlan.make(group: "mentoring", members: members ?? [], peers: peers, directory: dir)
        #expect(plan.add.map(\.login) == ["newbie", "prim"])
        #expect(plan.add.map(\.name) == ["New Bie", "Primary Member"])
        #expect(plan.rejoin.map(\.login) == ["olga"])
        #expect(plan.leave.map(\.login) == ["bo", "gone"])
        #expect(plan.leave.map(\.why) == ["not in group mentoring", "no longer has an account on this host"])
        #expect(plan.keptLeaders.map(\.login) == ["lea"])
        #expect(dir.members(of: "nosuchgroup") == nil)
    }

    @Test("dry run prints the changes and changes nothing; the real run applies them; a second run has nothing to do")
    func throughTheCLI() throws {
        let a = try HostileAgora.withProgram(label: "sync")
        for (login, name) in [("ana", "Ana Lima"), ("bo", "Bo Berg"), ("olga", "Olga Old"), ("gone", "Gone Away")] {
            try a.must(["peer", "add", login, "--name", name])
        }
        try a.must(["peer", "leave", "olga"])
        let pw = a.dir.appendingPathComponent("passwd"), gr = a.dir.appendingPathComponent("group")
        try Data(Self.passwd.utf8).write(to: pw)
        try Data(Self.group.utf8).write(to: gr)
        let args = ["admin", "sync-users", "--group", "mentoring", "--passwd-file", pw.path, "--group-file", gr.path]
        let before = try a.must(["peer", "list"]).text

        let dry = try a.must(args + ["--dry-run"]).text.trimmingCharacters(in: .newlines)
        #expect(dry == """
        would add newbie (New Bie): member of group mentoring
        would add prim (Primary Member): member of group mentoring
        would rejoin olga: back in group mentoring
        would mark alumni bo (Bo Berg): not in group mentoring
        would mark alumni gone (Gone Away): no longer has an account on this host
        (the group is the whole membership: peers added by hand who are not in it would become alumni; --only-add keeps them)
        kept leader lea: not in group mentoring; change leaders by hand
        """)
        #expect(try a.must(["peer", "list"]).text == before, "a dry run changes nothing")

        let real = try a.must(args).text.trimmingCharacters(in: .newlines)
        #expect(real == dry.replacingOccurrences(of: "would become", with: "became").replacingOccurrences(of: "would ", with: ""))
        let after = try a.must(["peer", "list", "--json"]).out
        let peers = try #require(try JSONSerialization.jsonObject(with: after) as? [[String: Any]])
        func alumni(_ login: String) -> Bool? {
            guard let p = peers.first(where: { $0["login"] as? String == login }) else { return nil }
            return p["alumni"] as? Bool
        }
        #expect(alumni("newbie") == false && alumni("prim") == false && alumni("olga") == false && alumni("ana") == false)
        #expect(alumni("bo") == true && alumni("gone") == true && alumni("lea") == false)

        let again = try a.must(args).text.trimmingCharacters(in: .newlines)
        #expect(again == "kept leader lea: not in group mentoring; change leaders by hand\nnothing to change: the peers match group mentoring")

        let missing = try a.run(["admin", "sync-users", "--group", "nosuch", "--passwd-file", pw.path, "--group-file", gr.path])
        #expect(missing.status != 0 && missing.errText.hasPrefix("agora: error: no Unix group 'nosuch'"))
        let peer = try a.run(args + ["--dry-run"], as: "ana")
        #expect(peer.status != 0 && peer.errText.contains("only a leader can manage peers"), "\(peer.errText)")
    }

    @Test("--only-add marks nobody alumni; two accounts named alike stay apart by their logins")
    func onlyAddAndNamesAlike() throws {
        let a = try HostileAgora.withProgram(label: "sync-add")
        try a.must(["peer", "add", "bo", "--name", "Bo Berg"])
        try a.must(["peer", "add", "handmade", "--name", "Hand Made"])
        let pw = a.dir.appendingPathComponent("passwd"), gr = a.dir.appendingPathComponent("group")
        try Data((Self.passwd + "\nbo2:x:1006:1006:Bo Berg:/home/bo2:/bin/sh").utf8).write(to: pw)
        try Data("mentoring:x:2000:bo,bo2\n".utf8).write(to: gr)
        let args = ["admin", "sync-users", "--group", "mentoring", "--passwd-file", pw.path, "--group-file", gr.path, "--only-add"]
        let out = try a.must(args).text
        #expect(out.contains("add bo2 (Bo Berg (bo2)): member of group mentoring"), "\(out)")
        #expect(out.contains("kept 1 peer(s) not in group mentoring (--only-add)"), "\(out)")   // handmade (the leader is kept anyway)
        #expect(!out.contains("mark alumni"))
        let list = try a.must(["peer", "list"]).text
        #expect(!list.contains("alumni"), "\(list)")
        // Both who share the name are shown with their logins, as the run said: the store does what was printed.
        #expect(out.contains("rename bo to 'Bo Berg (bo)'"), "\(out)")
        #expect(try a.must(["peer", "show", "bo", "--json"]).text.contains("\"name\" : \"Bo Berg (bo)\""), "\(list)")
    }
}
