import Foundation
import Testing
@testable import AgoraCore

@Suite struct ThreadTreeTests {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    static func post(_ id: Int64, parent: Int64? = nil) -> Post {
        Post(id: id, topicId: 1, parentId: parent, author: "a\(id)", body: "post \(id)", created: t0.addingTimeInterval(Double(id)))
    }

    /// Each line as "guides[id]" so a failure reads like the thread on screen.
    static func drawn(_ posts: [Post]) -> [String] {
        ThreadTree.layout(posts).map { "\($0.guides)[\($0.post.id!)]" }
    }

    @Test func repliesHangUnderThePostTheyAnswer() {
        let posts = [Self.post(1), Self.post(2), Self.post(3, parent: 2), Self.post(4, parent: 1), Self.post(5, parent: 3),
                     Self.post(6, parent: 2)]
        #expect(Self.drawn(posts) == [
            "[1]",
            "├─ [2]",
            "│  ├─ [3]",
            "│  │  └─ [5]",
            "│  └─ [6]",
            "└─ [4]",
        ])
        #expect(ThreadTree.layout(posts).map(\.depth) == [0, 1, 2, 3, 2, 1])
    }

    @Test func orderOfInputDoesNotMatter() {
        let posts = [Self.post(1), Self.post(2), Self.post(3, parent: 2), Self.post(4)]
        #expect(Self.drawn(posts.reversed()) == Self.drawn(posts))
    }

    @Test func orphanRepliesHangOffTheOpeningPost() {
        // Parent 99 is not in the thread (hidden, or from another topic): the reply is still shown.
        let posts = [Self.post(1), Self.post(2), Self.post(3, parent: 99), Self.post(4, parent: 4)]
        #expect(Self.drawn(posts) == ["[1]", "├─ [2]", "├─ [3]", "└─ [4]"])
    }

    @Test func emptyAndSinglePostThreads() {
        #expect(ThreadTree.layout([]).isEmpty)
        #expect(Self.drawn([Self.post(7)]) == ["[7]"])
    }

    @Test func aDeepChainIsLaidOutWithoutRecursion() {
        let n: Int64 = 3000
        var posts = [Self.post(1)]
        for id in 2...n { posts.append(Self.post(id, parent: id - 1)) }
        let lines = ThreadTree.layout(posts)
        #expect(lines.count == Int(n))
        #expect(lines.last?.depth == Int(n) - 1)
        #expect(lines.map { $0.post.id! } == Array(1...n))
        #expect(lines[2].guides == "   └─ ")
        // Indentation stops growing at maxIndent: the deepest reply is drawn no wider than level 16.
        let widest = lines.map { $0.guides.count }.max() ?? 0
        #expect(widest == 3 * ThreadTree.maxIndent)
        #expect(lines.last?.guides.count == widest)
    }
}
