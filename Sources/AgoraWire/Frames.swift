import AgoraCore
import Foundation

/// The daemon's wire: length-prefixed frames over a Unix stream socket.
///
///     u32 length (big-endian, of what follows) · u8 kind · u64 id (big-endian) · body
///
/// The body is JSON for the handshake (hello, welcome, refused) and `BinaryCoder`'s form for every other frame.
///
/// A client sends `hello` first and then `request`s; the daemon answers `welcome` or `refused`, then one `reply`
/// or `failure` per request id, and pushes `changes` (id 0) whenever the program changed. No frame is ever
/// interpreted before its whole length has arrived, and none may exceed the reader's limit.
public enum Wire {
    /// Bumped on any change a peer of the other version could misread; the hello carries it.
    /// 2: presence (the `present` call and `presence` pushes), `Peer.hidesPresence`.
    /// 3: bodies after the handshake in `BinaryCoder`'s form instead of JSON.
    /// 4: a thread opened with its first screen's bodies (`threadOpening`, `threadPosts`, `ThreadView.withheld`).
    /// 5: a withheld post's outline says whether it is hidden and when it was edited (`PostOutline.hidden`, `.edited`).
    /// 6: the leader's queue thresholds (`Call.updateSettings`); the inbox and watching (`NotificationStore`,
    ///    `Change.Kind.notified`).
    /// 7: read state per post (`Call.markRead`'s posts, `Call.markUnread`, `ThreadView.readBeyond`); edits and deletions
    ///    of one's own posts (`Call.editPost`, `.deletePost`, `.postHistory`, `Post.deleted`).
    /// 8: bookmarks (`Call.setBookmark`, `.bookmarks`, `ThreadView.bookmarked`); watching per tag (`Call.setTagWatch`,
    ///    `.tagWatchLevel`).
    public static let version = 8
    /// What a client may send in one frame: the longest post and its envelope fit many times over.
    public static let maxRequestBytes = 1 << 20
    /// What a client accepts from the daemon in one frame (a program's export is one reply).
    public static let maxReplyBytes = 1 << 30
    static let headerBytes = 4 + 1 + 8

    public enum Kind: UInt8, Sendable {
        case hello = 1, welcome, refused, request, reply, failure, changes, presence
    }

    /// One frame: header and body, ready to write.
    public static func frame(_ kind: Kind, id: UInt64 = 0, body: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(headerBytes + body.count)
        let length = UInt32(1 + 8 + body.count)
        for shift in stride(from: 24, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: length >> UInt32(shift))) }
        out.append(kind.rawValue)
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: id >> UInt64(shift))) }
        out.append(contentsOf: body)
        return out
    }

    /// A frame carrying `value`: JSON for the handshake, the binary form for everything after it.
    public static func frame<T: Encodable>(_ kind: Kind, id: UInt64 = 0, _ value: T) throws -> [UInt8] {
        frame(kind, id: id, body: kind.isHandshake ? try handshakeEncode(value) : try encode(value))
    }

    /// The body of every frame after the handshake (`BinaryCoder`: JSON's coders were most of the cost of a large
    /// answer on both sides).
    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        try BinaryCoder.encode(value)
    }

    public static func decode<T: Decodable>(_ type: T.Type, _ body: [UInt8]) throws -> T {
        do {
            return try BinaryCoder.decode(type, from: body)
        } catch {
            throw WireError.malformed("a \(T.self) that does not decode")
        }
    }

    /// A frame's value, in the encoding its kind is sent in.
    public static func decode<T: Decodable>(_ type: T.Type, _ frame: Frame) throws -> T {
        guard frame.kind.isHandshake else { return try decode(type, frame.body) }
        do {
            return try JSONDecoder().decode(type, from: Data(frame.body))
        } catch {
            throw WireError.malformed("a \(T.self) that does not decode")
        }
    }

    // The hello, the welcome and a refusal stay JSON, whatever the protocol version: they are what a client and a
    // daemon of different versions must still read from each other ("upgrade agora").
    static func handshakeEncode<T: Encodable>(_ value: T) throws -> [UInt8] {
        Array(try JSONEncoder().encode(value))
    }
}

extension Wire.Kind {
    /// Frames sent before both sides know they speak the same version.
    public var isHandshake: Bool { self == .hello || self == .welcome || self == .refused }
}

/// What is wrong with the bytes on the wire (never shown raw: the daemon logs it and drops the connection).
public enum WireError: Error, Equatable, CustomStringConvertible {
    case tooLarge(Int, limit: Int)
    case malformed(String)
    public var description: String {
        switch self {
        case .tooLarge(let n, let limit): return "a frame of \(n) bytes (the limit is \(limit))"
        case .malformed(let what): return "malformed frame: \(what)"
        }
    }
}

public struct Frame: Equatable, Sendable {
    public var kind: Wire.Kind
    public var id: UInt64
    public var body: [UInt8]
    public init(kind: Wire.Kind, id: UInt64, body: [UInt8]) {
        self.kind = kind
        self.id = id
        self.body = body
    }
}

/// Cuts a byte stream into frames. Bytes are appended as they arrive; `next` returns a frame once it is whole.
/// A length over `limit` is an error as soon as the header is in: nothing of it is buffered.
public struct FrameReader {
    public let limit: Int
    private var buffer: [UInt8] = []
    private var start = 0

    public init(limit: Int) { self.limit = limit }

    public var buffered: Int { buffer.count - start }

    public mutating func append<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        if start > 0 && start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    public mutating func next() throws -> Frame? {
        guard buffer.count - start >= 4 else { return nil }
        var length = 0
        for i in 0..<4 { length = length << 8 | Int(buffer[start + i]) }
        if length > limit { throw WireError.tooLarge(length, limit: limit) }
        if length < 9 { throw WireError.malformed("a length of \(length)") }
        guard buffer.count - start >= 4 + length else { return nil }
        guard let kind = Wire.Kind(rawValue: buffer[start + 4]) else {
            throw WireError.malformed("unknown kind \(buffer[start + 4])")
        }
        var id: UInt64 = 0
        for i in 5..<13 { id = id << 8 | UInt64(buffer[start + i]) }
        let body = Array(buffer[(start + 13)..<(start + 4 + length)])
        start += 4 + length
        if start > 1 << 16 && start > buffer.count / 2 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        return Frame(kind: kind, id: id, body: body)
    }
}

/// The client's first frame.
public struct Hello: Codable, Equatable, Sendable {
    public var version: Int
    /// The session's name on the changes it makes (`Change.origin`): it skips its own when they come back.
    public var origin: String
    /// Root only: act as this login (`agora --as`). Ignored for anyone else: the daemon reads the uid.
    public var actAs: String?
    public init(version: Int = Wire.version, origin: String, actAs: String? = nil) {
        self.version = version
        self.origin = origin
        self.actAs = actAs
    }
}

/// The daemon's answer to a hello: who the kernel says you are.
public struct Welcome: Codable, Equatable, Sendable {
    public var version: Int
    public var login: String
    public init(version: Int = Wire.version, login: String) {
        self.version = version
        self.login = login
    }
}

/// A failure as it crosses the wire: the same one-line message and hint the store gave.
public struct WireFailure: Codable, Equatable, Sendable {
    public var message: String
    public var hint: String?
    public var exitCode: Int32
    public init(_ e: AgoraError) {
        message = e.message
        hint = e.hint
        exitCode = e.exitCode
    }
    public var error: AgoraError { AgoraError(message, hint: hint, exitCode: exitCode) }
}

/// A result value in an object, so that `nil` and plain numbers are valid JSON documents too.
public struct Box<T: Codable>: Codable {
    public var value: T
    public init(_ value: T) { self.value = value }
}

/// What a void call answers.
public struct Done: Codable, Equatable, Sendable {
    public init() {}
}
