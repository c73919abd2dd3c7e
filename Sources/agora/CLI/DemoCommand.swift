import AgoraCore
import AgoraStore
import ArgumentParser
import Foundation

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Fill a new database with a realistic, deterministic demo program; you become its leader.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Number of peers.") var peers = 60
    @Option(help: "Number of topics.") var topics = 300
    @Option(help: "Number of posts, opening posts included.") var posts = 2000
    @Option(help: "Seed: the same seed gives the same program.") var seed: UInt64 = 1

    func run() throws {
        let s = try Session.open(global, create: true)
        let started = Date()
        let summary = try s.store.fillDemo(DemoProgram(peers: peers, topics: topics, posts: posts, seed: seed),
                                        me: Peer(login: s.login, name: Identity.gecosName(s.login) ?? s.login, joined: s.now), now: s.now)
        let secs = Date().timeIntervalSince(started)
        print("demo program: \(summary.peers) peers, \(summary.topics) topics, \(summary.posts) posts in \(String(format: "%.1f", secs)) s")
        print("you (\(s.login)) lead it; champions include \(summary.champions.prefix(3).joined(separator: ", "))")
        print("open it with 'agora\(global.db.map { " --db \($0)" } ?? "")'")
    }
}
