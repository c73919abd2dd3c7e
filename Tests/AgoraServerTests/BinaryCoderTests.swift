import AgoraCore
import AgoraWire
import AgoraTestSupport
import Foundation
import Testing

/// The daemon's body encoding: what goes in comes out, and bytes that are not an encoding never crash a reader.
/// (No root, no daemon: this runs everywhere. The daemon's own tests carry it end to end.)
@Suite struct BinaryCoderTests {
    static let t0 = Date(timeIntervalSinceReferenceDate: 812_345_678.25)

    static func thread() -> ThreadView {
        let topic = Topic(id: 42, kind: .request, title: "Zoë's 😀 question — “quoted”\n\t\"escaped\"", author: "ana", created: t0)
        var posts: [Post] = []
        for i in 1...40 {
            let parent: Int64? = i % 3 == 0 ? Int64(99 + i) : nil
            let line = "Line \(i) with e\u{301} and \u{0} and \\ and \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\n"
            let edited: Date? = i % 7 == 0 ? t0.addingTimeInterval(9e5) : nil
            posts.append(Post(id: Int64(100 + i), topicId: 42, parentId: parent, author: i % 2 == 0 ? "ana" : "李娜",
                              body: String(repeating: line, count: i % 5 + 1), created: t0.addingTimeInterval(Double(i) * 61.5),
                              edited: edited))
        }
        var ana = Peer(login: "ana", name: "Ana Ortiz", unit: "Ops", region: "EU", joined: t0)
        ana.left = t0.addingTimeInterval(-1)
        let lina = Peer(login: "李娜", name: "", joined: t0.addingTimeInterval(-86_400 * 400))
        return ThreadView(topic: topic, tags: ["onboarding", ""], posts: posts, peers: ["ana": ana, "李娜": lina], lastReadPostId: -1)
    }

    static func roundTrip<T: Codable>(_ value: T) throws -> T {
        try BinaryCoder.decode(T.self, from: try BinaryCoder.encode(value))
    }

    @Test func aThreadComesBackAsItWent() throws {
        let t = Self.thread()
        #expect(try Self.roundTrip(t) == t)
        #expect(try Self.roundTrip(Box(t)).value == t, "inside the reply's box")
    }

    @Test func callsWithAssociatedValuesAndOptionalsComeBack() throws {
        let calls: [Call] = [
            .post(kind: .idea, title: "T", body: "B", tags: ["a", "b"], by: "ana", now: Self.t0, template: nil, followUp: Self.t0,
                  draftScope: "new"),
            .reply(topic: 7, parent: nil, body: "", by: "ana", now: Self.t0),
            .reply(topic: 7, parent: Int64.max, body: "x", by: "ana", now: Self.t0),
            .topics(TopicQuery(kind: .concern, tag: nil, author: "bo", unansweredOnly: true, limit: 3, offset: 0), reader: nil),
            .program, .latestChange,
        ]
        for call in calls {
            // Call is not Equatable: compare what JSON makes of both, keys sorted.
            #expect(try Self.json(Self.roundTrip(call)) == Self.json(call))
        }
    }

    @Test func numbersAtTheirLimitsAndEmptyThingsComeBack() throws {
        struct Edge: Codable, Equatable {
            var small = Int64.min, big = Int64.max, unsigned = UInt64.max, byte: Int8 = -128, tiny: UInt8 = 255
            var half = -0.5, huge = Double.greatestFiniteMagnitude, none: Int64? = nil, some: Int64? = 0
            var empty = "", list: [Int] = [], nested: [[String?]] = [[nil, "a"], []], map: [Int64: String] = [-3: "minus three", 9: ""]
            var flag = false, date = Date(timeIntervalSince1970: 0)
        }
        #expect(try Self.roundTrip(Edge()) == Edge())
        #expect(try Self.roundTrip(Box<Int64?>(nil)).value == nil)
        #expect(try Self.roundTrip(Box<Int64?>(5)).value == 5)
        #expect(try Self.roundTrip(Box(Done())).value == Done(), "a value with no fields")
    }

    @Test func aNumberOutOfRangeForItsFieldIsRefused() throws {
        let bytes = try BinaryCoder.encode(Box(Int64(300)))
        #expect(throws: DecodingError.self) { try BinaryCoder.decode(Box<UInt8>.self, from: bytes) }
        #expect(throws: DecodingError.self) { try BinaryCoder.decode(Box<String>.self, from: bytes) }
    }

    @Test func everyCutOfAnEncodingIsRefusedNotCrashed() throws {
        let bytes = try BinaryCoder.encode(Box(Self.thread()))
        for n in 0..<bytes.count {
            #expect(throws: (any Error).self) { try BinaryCoder.decode(Box<ThreadView>.self, from: Array(bytes[..<n])) }
        }
        #expect(throws: (any Error).self) { try BinaryCoder.decode(Box<ThreadView>.self, from: bytes + [0]) }
    }

    @Test func changedBytesDecodeOrThrowButNeverCrash() throws {
        let bytes = try BinaryCoder.encode(Box(Self.thread()))
        var rng = SplitMix(seed: 12)
        var refused = 0
        for _ in 0..<3_000 {
            var b = bytes
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                b[Int(rng.next() % UInt64(b.count))] = UInt8(truncatingIfNeeded: rng.next())
            }
            if (try? BinaryCoder.decode(Box<ThreadView>.self, from: b)) == nil { refused += 1 }
        }
        #expect(refused > 0, "some changes must be caught")
    }

    @Test func lengthsThatLieAreRefusedAtOnce() throws {
        // An object that says it holds 2^31 entries in 8 bytes, and one whose length runs past the end.
        let liar: [UInt8] = [7, 4, 0, 0, 0, 0, 0, 0, 0x80]
        #expect(throws: DecodingError.self) { try BinaryCoder.decode([String: Int].self, from: liar) }
        let long: [UInt8] = [8, 0xff, 0xff, 0xff, 0x7f, 1, 0, 0, 0, 2]
        #expect(throws: DecodingError.self) { try BinaryCoder.decode([Bool].self, from: long) }
        let string: [UInt8] = [6, 0xff, 0xff, 0xff, 0xff, 0x0f, 65]
        #expect(throws: DecodingError.self) { try BinaryCoder.decode(String.self, from: string) }
    }

    @Test func containersWrittenOutOfOrderAreRefusedNotMixed() throws {
        struct Interleaved: Encodable {
            enum K: CodingKey { case a, b }
            func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: K.self)
                var a = c.nestedUnkeyedContainer(forKey: .a)
                var b = c.nestedUnkeyedContainer(forKey: .b)
                try b.encode(1)
                try a.encode(2)   // `a` was closed when `b` began
            }
        }
        #expect(throws: EncodingError.self) { try BinaryCoder.encode(Interleaved()) }
    }

    @Test func aThreadIsSmallerThanItsJSON() throws {
        let t = Self.thread()
        #expect(try BinaryCoder.encode(t).count < JSONEncoder().encode(t).count)
    }

    static func json<T: Encodable>(_ v: T) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = .sortedKeys
        return String(decoding: try e.encode(v), as: UTF8.self)
    }
}

extension BinaryCoderTests {
    /// A class hierarchy's values go through `superEncoder()`; its keys need no "super" case.
    @Test func aSuperclassValueComesBack() throws {
        struct Parent: Codable, Equatable { var a: Int }
        struct Child: Codable, Equatable {
            var parent: Parent
            var b: String
            enum K: CodingKey { case b }
            init(parent: Parent, b: String) { self.parent = parent; self.b = b }
            func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: K.self)
                try c.encode(b, forKey: .b)
                try parent.encode(to: c.superEncoder())
            }
            init(from decoder: Decoder) throws {
                let c = try decoder.container(keyedBy: K.self)
                b = try c.decode(String.self, forKey: .b)
                parent = try Parent(from: c.superDecoder())
            }
        }
        let v = Child(parent: Parent(a: -7), b: "x")
        #expect(try Self.roundTrip(v) == v)
    }
}

/// scripts/agora_wire.py (the attacker's client in scripts/daemon-test) speaks the daemon's protocol version: a bump
/// that forgets it fails here, not in CI's root-only checks after the whole suite.
@Test func thePythonWireClientSpeaksTheCurrentProtocolVersion() throws {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scripts/agora_wire.py")
    let text = try String(contentsOf: script, encoding: .utf8)
    #expect(text.contains("\nVERSION = \(Wire.version) "), "scripts/agora_wire.py: VERSION must be \(Wire.version)")
}
