import Foundation

// The daemon's body encoding: a compact, self-describing binary form of any Codable value.
//
// Foundation's JSON coders were most of the cost of every large answer over the daemon (a 400-post thread: the
// client spent ~70 % of its time in JSONDecoder, the daemon most of its share in JSONEncoder's string escaping).
// Here a string is its UTF-8 bytes behind a length, a number is a varint, and a keyed container's keys are
// compared as bytes in the order they were written, with no dictionary built per object.
//
//     value  = tag payload
//     tag    : 0 nil · 1 false · 2 true · 3 signed int (zig-zag varint) · 4 unsigned int (varint)
//              5 double (8 bytes, little-endian bit pattern) · 6 string (varint length, UTF-8)
//              7 keyed (u32 byte length, u32 count, count × (varint key length, key UTF-8, value))
//              8 unkeyed (u32 byte length, u32 count, count × value)
//
// Every length is checked against what is left before it is used, so bytes from a hostile peer can only make
// decoding throw. Containers must be written one at a time (a nested container is finished before its parent
// is written to again), which is what synthesized Codable does; interleaving them throws instead of mixing bytes.

public enum BinaryCoder {
    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let sink = Sink()
        try sink.encodeValue(value, path: [])
        try sink.finish()
        return sink.bytes
    }

    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try bytes.withUnsafeBufferPointer { buffer in
            let input = Input(buffer)
            var at = 0
            let value = try input.decodeValue(T.self, at: &at, path: [])
            guard at == buffer.count else { throw Input.corrupt([], "\(buffer.count - at) bytes after the value") }
            return value
        }
    }
}

enum Tag: UInt8 {
    case null = 0, no, yes, int, uint, double, string, keyed, unkeyed
}

// MARK: - Encoding

/// The bytes being written, and the containers still open in them (innermost last).
final class Sink {
    var bytes: [UInt8] = []
    private var open: [Container] = []

    init() { bytes.reserveCapacity(256) }

    final class Container {
        let start: Int      // offset of its length field
        var count: UInt32 = 0
        var closed = false
        init(start: Int) { self.start = start }
    }

    // Scalars

    @inline(__always) func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    func null() { bytes.append(Tag.null.rawValue) }
    func bool(_ b: Bool) { bytes.append(b ? Tag.yes.rawValue : Tag.no.rawValue) }
    func int(_ v: Int64) {
        bytes.append(Tag.int.rawValue)
        varint(UInt64(bitPattern: (v << 1) ^ (v >> 63)))
    }
    func uint(_ v: UInt64) {
        bytes.append(Tag.uint.rawValue)
        varint(v)
    }
    func double(_ d: Double) {
        bytes.append(Tag.double.rawValue)
        let bits = d.bitPattern
        for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt64(i)))) }
    }
    func string(_ s: String) {
        bytes.append(Tag.string.rawValue)
        raw(s)
    }
    /// A string without its tag (keys).
    func raw(_ s: String) {
        var s = s
        s.withUTF8 { utf8 in
            varint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    // Containers

    /// Starts a container at the end of the bytes: its tag and room for its length and count.
    func begin(_ tag: Tag) -> Container {
        bytes.append(tag.rawValue)
        let c = Container(start: bytes.count)
        bytes.append(contentsOf: [0, 0, 0, 0, 0, 0, 0, 0])
        open.append(c)
        return c
    }

    /// Makes `c` the container being written: closes whatever was opened inside it since. Writing to a container
    /// that was already closed (a sibling or its parent was written to since) is refused.
    func enter(_ c: Container, path: [CodingKey]) throws {
        guard !c.closed else {
            throw EncodingError.invalidValue(c, .init(codingPath: path, debugDescription: "containers written out of order"))
        }
        while let last = open.last, last !== c { close(open.removeLast()) }
    }

    private func close(_ c: Container) {
        c.closed = true
        let length = UInt32(bytes.count - c.start - 4)
        put(length, at: c.start)
        put(c.count, at: c.start + 4)
    }

    private func put(_ v: UInt32, at i: Int) {
        bytes[i] = UInt8(truncatingIfNeeded: v)
        bytes[i + 1] = UInt8(truncatingIfNeeded: v >> 8)
        bytes[i + 2] = UInt8(truncatingIfNeeded: v >> 16)
        bytes[i + 3] = UInt8(truncatingIfNeeded: v >> 24)
    }

    /// Closes every container opened at or after `depth`.
    func close(downTo depth: Int) {
        while open.count > depth { close(open.removeLast()) }
    }

    var depth: Int { open.count }

    func finish() throws { close(downTo: 0) }

    /// Writes one value: scalars directly, anything else through its own `encode(to:)`. `key` is appended to
    /// `path` only when a nested encoder needs it (paths are for error messages; building one per field cost more
    /// than the field).
    func encodeValue<T: Encodable>(_ value: T, path: [CodingKey], key: CodingKey? = nil) throws {
        if T.self == String.self { return string(value as! String) }
        if T.self == Int64.self { return int(value as! Int64) }
        if T.self == Int.self { return int(Int64(value as! Int)) }
        if T.self == Bool.self { return bool(value as! Bool) }
        if T.self == Double.self { return double(value as! Double) }
        if T.self == Date.self { return double((value as! Date).timeIntervalSinceReferenceDate) }
        let depth = open.count
        let encoder = ValueEncoder(sink: self, path: key.map { path + [$0] } ?? path)
        try value.encode(to: encoder)
        if !encoder.wrote {
            // A value that wrote nothing is an empty object, as in JSON.
            _ = begin(.keyed)
        }
        close(downTo: depth)
    }

    /// A container nothing can be written to: what a second container request, or a nested container asked for
    /// out of order, gets (its writes throw; the protocol's methods that hand out containers cannot).
    static var refused: Container {
        let c = Container(start: 0)
        c.closed = true
        return c
    }
}

/// The encoder one value is written through; it hands out exactly one container.
final class ValueEncoder: Encoder {
    let sink: Sink
    let codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    /// Whether the value has been written (a single value) or begun (a container).
    var wrote = false
    private var keyed: Sink.Container?
    private var unkeyed: Sink.Container?

    init(sink: Sink, path: [CodingKey]) {
        self.sink = sink
        codingPath = path
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if !wrote {
            wrote = true
            keyed = sink.begin(.keyed)
        }
        return KeyedEncodingContainer(KeyedWriter<Key>(sink: sink, container: keyed ?? Sink.refused, path: codingPath))
    }

    func unkeyedContainer() -> UnkeyedEncodingContainer {
        if !wrote {
            wrote = true
            unkeyed = sink.begin(.unkeyed)
        }
        return UnkeyedWriter(sink: sink, container: unkeyed ?? Sink.refused, path: codingPath)
    }

    func singleValueContainer() -> SingleValueEncodingContainer {
        SingleWriter(encoder: self)
    }
}

struct SingleWriter: SingleValueEncodingContainer {
    let encoder: ValueEncoder
    var codingPath: [CodingKey] { encoder.codingPath }

    private func once() throws -> Sink {
        guard !encoder.wrote else {
            throw EncodingError.invalidValue((), .init(codingPath: codingPath, debugDescription: "a second single value"))
        }
        encoder.wrote = true
        return encoder.sink
    }

    mutating func encodeNil() throws { try once().null() }
    mutating func encode(_ value: Bool) throws { try once().bool(value) }
    mutating func encode(_ value: String) throws { try once().string(value) }
    mutating func encode(_ value: Double) throws { try once().double(value) }
    mutating func encode(_ value: Float) throws { try once().double(Double(value)) }
    mutating func encode(_ value: Int) throws { try once().int(Int64(value)) }
    mutating func encode(_ value: Int8) throws { try once().int(Int64(value)) }
    mutating func encode(_ value: Int16) throws { try once().int(Int64(value)) }
    mutating func encode(_ value: Int32) throws { try once().int(Int64(value)) }
    mutating func encode(_ value: Int64) throws { try once().int(value) }
    mutating func encode(_ value: UInt) throws { try once().uint(UInt64(value)) }
    mutating func encode(_ value: UInt8) throws { try once().uint(UInt64(value)) }
    mutating func encode(_ value: UInt16) throws { try once().uint(UInt64(value)) }
    mutating func encode(_ value: UInt32) throws { try once().uint(UInt64(value)) }
    mutating func encode(_ value: UInt64) throws { try once().uint(value) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        let sink = try once()
        try sink.encodeValue(value, path: codingPath)
    }
}

struct KeyedWriter<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let sink: Sink
    let container: Sink.Container
    let path: [CodingKey]
    var codingPath: [CodingKey] { path }

    /// Opens the entry for `key`: the container is current again, the key written, the count one more.
    private func entry(_ key: Key) throws -> Sink { try entry(named: key.stringValue) }

    private func entry(named name: String) throws -> Sink {
        try sink.enter(container, path: path)
        container.count += 1
        sink.raw(name)
        return sink
    }

    mutating func encodeNil(forKey key: Key) throws { try entry(key).null() }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try entry(key).bool(value) }
    mutating func encode(_ value: String, forKey key: Key) throws { try entry(key).string(value) }
    mutating func encode(_ value: Double, forKey key: Key) throws { try entry(key).double(value) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try entry(key).double(Double(value)) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try entry(key).int(Int64(value)) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try entry(key).int(Int64(value)) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try entry(key).int(Int64(value)) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try entry(key).int(Int64(value)) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try entry(key).int(value) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try entry(key).uint(UInt64(value)) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try entry(key).uint(UInt64(value)) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try entry(key).uint(UInt64(value)) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try entry(key).uint(UInt64(value)) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try entry(key).uint(value) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try entry(key).encodeValue(value, path: path, key: key)
    }

    // Absent optionals are written as nil: the reader then finds every key in order, with no search for the
    // keys that are missing.
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        // The protocol cannot throw here: out of order, the nested container refuses its first write instead.
        let c = (try? entry(key)).map { $0.begin(.keyed) } ?? Sink.refused
        return KeyedEncodingContainer(KeyedWriter<NestedKey>(sink: sink, container: c, path: path + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
        let c = (try? entry(key)).map { $0.begin(.unkeyed) } ?? Sink.refused
        return UnkeyedWriter(sink: sink, container: c, path: path + [key])
    }

    /// Under the name "super", whatever the container's keys are (as JSONEncoder does).
    mutating func superEncoder() -> Encoder {
        let c = (try? entry(named: "super")).map { $0.begin(.keyed) } ?? Sink.refused
        return ObjectEncoder(sink: sink, container: c, path: path)
    }

    /// Superclass values are written as an object in the entry (nothing here uses class inheritance).
    mutating func superEncoder(forKey key: Key) -> Encoder {
        let c = (try? entry(key)).map { $0.begin(.keyed) } ?? Sink.refused
        return ObjectEncoder(sink: sink, container: c, path: path + [key])
    }
}

struct UnkeyedWriter: UnkeyedEncodingContainer {
    let sink: Sink
    let container: Sink.Container
    let path: [CodingKey]
    var codingPath: [CodingKey] { path }
    var count: Int { Int(container.count) }

    private func element() throws -> Sink {
        try sink.enter(container, path: path)
        container.count += 1
        return sink
    }

    private var here: [CodingKey] { path + [Index(intValue: count)] }

    mutating func encodeNil() throws { try element().null() }
    mutating func encode(_ value: Bool) throws { try element().bool(value) }
    mutating func encode(_ value: String) throws { try element().string(value) }
    mutating func encode(_ value: Double) throws { try element().double(value) }
    mutating func encode(_ value: Float) throws { try element().double(Double(value)) }
    mutating func encode(_ value: Int) throws { try element().int(Int64(value)) }
    mutating func encode(_ value: Int8) throws { try element().int(Int64(value)) }
    mutating func encode(_ value: Int16) throws { try element().int(Int64(value)) }
    mutating func encode(_ value: Int32) throws { try element().int(Int64(value)) }
    mutating func encode(_ value: Int64) throws { try element().int(value) }
    mutating func encode(_ value: UInt) throws { try element().uint(UInt64(value)) }
    mutating func encode(_ value: UInt8) throws { try element().uint(UInt64(value)) }
    mutating func encode(_ value: UInt16) throws { try element().uint(UInt64(value)) }
    mutating func encode(_ value: UInt32) throws { try element().uint(UInt64(value)) }
    mutating func encode(_ value: UInt64) throws { try element().uint(value) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        let p = path
        try element().encodeValue(value, path: p)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let p = here
        let c = (try? element()).map { $0.begin(.keyed) } ?? Sink.refused
        return KeyedEncodingContainer(KeyedWriter<NestedKey>(sink: sink, container: c, path: p))
    }

    mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
        let p = here
        let c = (try? element()).map { $0.begin(.unkeyed) } ?? Sink.refused
        return UnkeyedWriter(sink: sink, container: c, path: p)
    }

    mutating func superEncoder() -> Encoder {
        let p = here
        let c = (try? element()).map { $0.begin(.keyed) } ?? Sink.refused
        return ObjectEncoder(sink: sink, container: c, path: p)
    }
}

/// `superEncoder()`: an object already begun in its parent's entry; only a keyed container can be written to it.
final class ObjectEncoder: Encoder {
    let sink: Sink
    let object: Sink.Container
    let codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(sink: Sink, container: Sink.Container, path: [CodingKey]) {
        self.sink = sink
        object = container
        codingPath = path
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(KeyedWriter<Key>(sink: sink, container: object, path: codingPath))
    }
    func unkeyedContainer() -> UnkeyedEncodingContainer { UnkeyedWriter(sink: sink, container: Sink.refused, path: codingPath) }
    func singleValueContainer() -> SingleValueEncodingContainer {
        let e = ValueEncoder(sink: sink, path: codingPath)
        e.wrote = true   // refuses: the entry's value is the object
        return SingleWriter(encoder: e)
    }
}

struct Index: CodingKey {
    var stringValue: String { "\(intValue ?? 0)" }
    var intValue: Int?
    init(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { intValue = Int(stringValue) }
}

// MARK: - Decoding

/// The bytes being read. Values are located by offset; nothing is copied until a string is made.
struct Input {
    let bytes: UnsafeBufferPointer<UInt8>
    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    static func corrupt(_ path: [CodingKey], _ what: String) -> DecodingError {
        .dataCorrupted(.init(codingPath: path, debugDescription: what))
    }

    func byte(_ at: inout Int, _ path: [CodingKey]) throws -> UInt8 {
        guard at < bytes.count else { throw Self.corrupt(path, "the bytes end inside a value") }
        defer { at += 1 }
        return bytes[at]
    }

    func varint(_ at: inout Int, _ path: [CodingKey]) throws -> UInt64 {
        var v: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte(&at, path)
            guard shift < 64 else { throw Self.corrupt(path, "a number longer than 64 bits") }
            v |= UInt64(b & 0x7f) << shift
            if b < 0x80 { return v }
            shift += 7
        }
    }

    func u32(_ at: inout Int, _ path: [CodingKey]) throws -> Int {
        guard at + 4 <= bytes.count else { throw Self.corrupt(path, "the bytes end inside a container") }
        let v = Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24
        at += 4
        return v
    }

    /// A length-prefixed run of bytes: its start, after checking it fits.
    func run(_ at: inout Int, _ path: [CodingKey]) throws -> Range<Int> {
        let n = try varint(&at, path)
        guard n <= UInt64(bytes.count - at) else { throw Self.corrupt(path, "a string longer than the bytes") }
        let r = at..<(at + Int(n))
        at += Int(n)
        return r
    }

    func text(_ r: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[r]), as: UTF8.self)
    }

    /// Moves past the value at `at`.
    func skip(_ at: inout Int, _ path: [CodingKey]) throws {
        guard let tag = Tag(rawValue: try byte(&at, path)) else { throw Self.corrupt(path, "an unknown tag") }
        switch tag {
        case .null, .no, .yes: break
        case .int, .uint: _ = try varint(&at, path)
        case .double:
            guard at + 8 <= bytes.count else { throw Self.corrupt(path, "the bytes end inside a number") }
            at += 8
        case .string: _ = try run(&at, path)
        case .keyed, .unkeyed:
            let length = try u32(&at, path)
            guard length >= 4, length <= bytes.count - at else { throw Self.corrupt(path, "a container longer than the bytes") }
            at += length
        }
    }

    func tag(at: Int, _ path: [CodingKey]) throws -> Tag {
        guard at < bytes.count else { throw Self.corrupt(path, "the bytes end before a value") }
        guard let tag = Tag(rawValue: bytes[at]) else { throw Self.corrupt(path, "an unknown tag") }
        return tag
    }

    // Scalars

    func isNil(at: Int, _ path: [CodingKey]) throws -> Bool { try tag(at: at, path) == .null }

    func bool(_ at: inout Int, _ path: [CodingKey]) throws -> Bool {
        switch try tag(at: at, path) {
        case .no: at += 1; return false
        case .yes: at += 1; return true
        default: throw mismatch(Bool.self, path)
        }
    }

    func int64(_ at: inout Int, _ path: [CodingKey]) throws -> Int64 {
        switch try tag(at: at, path) {
        case .int:
            at += 1
            let z = try varint(&at, path)
            return Int64(bitPattern: (z >> 1) ^ (0 &- (z & 1)))
        case .uint:
            at += 1
            let u = try varint(&at, path)
            guard u <= UInt64(Int64.max) else { throw Self.corrupt(path, "a number too large") }
            return Int64(u)
        default: throw mismatch(Int64.self, path)
        }
    }

    func uint64(_ at: inout Int, _ path: [CodingKey]) throws -> UInt64 {
        switch try tag(at: at, path) {
        case .uint:
            at += 1
            return try varint(&at, path)
        case .int:
            let v = try int64(&at, path)
            guard v >= 0 else { throw Self.corrupt(path, "a negative number for an unsigned one") }
            return UInt64(v)
        default: throw mismatch(UInt64.self, path)
        }
    }

    func integer<T: FixedWidthInteger>(_ type: T.Type, _ at: inout Int, _ path: [CodingKey]) throws -> T {
        if T.isSigned {
            guard let v = T(exactly: try int64(&at, path)) else { throw Self.corrupt(path, "a number out of range for \(T.self)") }
            return v
        }
        guard let v = T(exactly: try uint64(&at, path)) else { throw Self.corrupt(path, "a number out of range for \(T.self)") }
        return v
    }

    func double(_ at: inout Int, _ path: [CodingKey]) throws -> Double {
        switch try tag(at: at, path) {
        case .double:
            at += 1
            guard at + 8 <= bytes.count else { throw Self.corrupt(path, "the bytes end inside a number") }
            var bits: UInt64 = 0
            for i in 0..<8 { bits |= UInt64(bytes[at + i]) << (8 * UInt64(i)) }
            at += 8
            return Double(bitPattern: bits)
        case .int, .uint:
            return Double(try int64(&at, path))
        default: throw mismatch(Double.self, path)
        }
    }

    func string(_ at: inout Int, _ path: [CodingKey]) throws -> String {
        guard try tag(at: at, path) == .string else { throw mismatch(String.self, path) }
        at += 1
        return text(try run(&at, path))
    }

    func mismatch(_ type: Any.Type, _ path: [CodingKey]) -> DecodingError {
        .typeMismatch(type, .init(codingPath: path, debugDescription: "expected a \(type)"))
    }

    /// The container at `at`: where its entries start and end, and how many there are.
    func container(_ tag: Tag, at: Int, _ path: [CodingKey]) throws -> (start: Int, end: Int, count: Int) {
        guard try self.tag(at: at, path) == tag else {
            throw DecodingError.typeMismatch([Any].self, .init(codingPath: path,
                debugDescription: tag == .keyed ? "expected an object" : "expected a list"))
        }
        var i = at + 1
        let length = try u32(&i, path)
        guard length >= 4, length <= bytes.count - i else { throw Self.corrupt(path, "a container longer than the bytes") }
        let end = i + length
        let count = try u32(&i, path)
        // Each entry takes a byte at least: a count larger than the bytes is a lie.
        guard count <= end - i else { throw Self.corrupt(path, "a container with more entries than bytes") }
        return (i, end, count)
    }

    /// Decodes the value at `at` and moves past it.
    func decodeValue<T: Decodable>(_ type: T.Type, at: inout Int, path: [CodingKey], key: CodingKey? = nil) throws -> T {
        if T.self == String.self { return try string(&at, path) as! T }
        if T.self == Int64.self { return try int64(&at, path) as! T }
        if T.self == Int.self { return try integer(Int.self, &at, path) as! T }
        if T.self == Bool.self { return try bool(&at, path) as! T }
        if T.self == Double.self { return try double(&at, path) as! T }
        if T.self == Date.self { return Date(timeIntervalSinceReferenceDate: try double(&at, path)) as! T }
        let decoder = ValueDecoder(input: self, at: at, path: key.map { path + [$0] } ?? path)
        let value = try T(from: decoder)
        var end = at
        try skip(&end, path)
        at = end
        return value
    }
}

final class ValueDecoder: Decoder {
    let input: Input
    let at: Int
    let codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(input: Input, at: Int, path: [CodingKey]) {
        self.input = input
        self.at = at
        codingPath = path
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(try KeyedReader<Key>(input: input, at: at, path: codingPath))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        try UnkeyedReader(input: input, at: at, path: codingPath)
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer {
        SingleReader(input: input, at: at, codingPath: codingPath)
    }
}

struct SingleReader: SingleValueDecodingContainer {
    let input: Input
    let at: Int
    let codingPath: [CodingKey]

    func decodeNil() -> Bool { (try? input.isNil(at: at, codingPath)) ?? false }
    func decode(_ type: Bool.Type) throws -> Bool { var i = at; return try input.bool(&i, codingPath) }
    func decode(_ type: String.Type) throws -> String { var i = at; return try input.string(&i, codingPath) }
    func decode(_ type: Double.Type) throws -> Double { var i = at; return try input.double(&i, codingPath) }
    func decode(_ type: Float.Type) throws -> Float { var i = at; return Float(try input.double(&i, codingPath)) }
    func decode(_ type: Int.Type) throws -> Int { var i = at; return try input.integer(type, &i, codingPath) }
    func decode(_ type: Int8.Type) throws -> Int8 { var i = at; return try input.integer(type, &i, codingPath) }
    func decode(_ type: Int16.Type) throws -> Int16 { var i = at; return try input.integer(type, &i, codingPath) }
    func decode(_ type: Int32.Type) throws -> Int32 { var i = at; return try input.integer(type, &i, codingPath) }
    func decode(_ type: Int64.Type) throws -> Int64 { var i = at; return try input.int64(&i, codingPath) }
    func decode(_ type: UInt.Type) throws -> UInt { var i = at; return try input.integer(type, &i, codingPath) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { var i = at; return try input.integer(type, &i, codingPath) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { var i = at; return try input.integer(type, &i, codingPath) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { var i = at; return try input.integer(type, &i, codingPath) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { var i = at; return try input.uint64(&i, codingPath) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        var i = at
        return try input.decodeValue(type, at: &i, path: codingPath)
    }
}

/// A class: the protocol's methods are not mutating, and the reader keeps where it is.
final class KeyedReader<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let input: Input
    let path: [CodingKey]
    var codingPath: [CodingKey] { path }
    /// Each entry's key (as a byte range) and where its value starts.
    private let keys: [Range<Int>]
    private let values: [Int]
    /// The entry after the last one found: keys are nearly always asked for in the order they were written.
    private var next = 0

    init(input: Input, at: Int, path: [CodingKey]) throws {
        self.input = input
        self.path = path
        let (start, end, count) = try input.container(.keyed, at: at, path)
        var keys: [Range<Int>] = []
        var values: [Int] = []
        keys.reserveCapacity(count)
        values.reserveCapacity(count)
        var i = start
        for _ in 0..<count {
            keys.append(try input.run(&i, path))
            values.append(i)
            try input.skip(&i, path)
            guard i <= end else { throw Input.corrupt(path, "an entry past its container's end") }
        }
        self.keys = keys
        self.values = values
    }

    var allKeys: [Key] { keys.compactMap { Key(stringValue: input.text($0)) } }

    private func matches(_ r: Range<Int>, _ key: Key) -> Bool { matches(r, key.stringValue) }

    private func matches(_ r: Range<Int>, _ name: String) -> Bool {
        var name = name
        return name.withUTF8 { utf8 in
            utf8.count == r.count && (r.isEmpty || memcmp(utf8.baseAddress!, input.bytes.baseAddress! + r.lowerBound, r.count) == 0)
        }
    }

    /// Where `key`'s value starts, if it is there.
    private func find(_ key: Key) -> Int? {
        if next < keys.count, matches(keys[next], key) { return next }
        return keys.indices.first { matches(keys[$0], key) }
    }

    private func value(_ key: Key) throws -> Int {
        guard let i = find(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: path, debugDescription: "no value for \(key.stringValue)"))
        }
        next = i + 1
        return values[i]
    }

    func contains(_ key: Key) -> Bool { find(key) != nil }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let i = find(key) else { return true }
        let isNil = try input.isNil(at: values[i], path)
        if isNil { next = i + 1 }
        return isNil
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { var i = try value(key); return try input.bool(&i, path) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { var i = try value(key); return try input.string(&i, path) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { var i = try value(key); return try input.double(&i, path) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { var i = try value(key); return Float(try input.double(&i, path)) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { var i = try value(key); return try input.integer(type, &i, path) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { var i = try value(key); return try input.integer(type, &i, path) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { var i = try value(key); return try input.integer(type, &i, path) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { var i = try value(key); return try input.integer(type, &i, path) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { var i = try value(key); return try input.int64(&i, path) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { var i = try value(key); return try input.integer(type, &i, path) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { var i = try value(key); return try input.integer(type, &i, path) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { var i = try value(key); return try input.integer(type, &i, path) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { var i = try value(key); return try input.integer(type, &i, path) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { var i = try value(key); return try input.uint64(&i, path) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        var i = try value(key)
        return try input.decodeValue(type, at: &i, path: path, key: key)
    }

    // Optionals: nil when the key is missing or holds nil (as JSONDecoder does).
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        try decodeNil(forKey: key) ? nil : decode(type, forKey: key)
    }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? {
        try decodeNil(forKey: key) ? nil : decode(type, forKey: key)
    }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
        try decodeNil(forKey: key) ? nil : decode(type, forKey: key)
    }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        try decodeNil(forKey: key) ? nil : decode(type, forKey: key)
    }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        try decodeNil(forKey: key) ? nil : decode(type, forKey: key)
    }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        try decodeNil(forKey: key) ? nil : decode(type, forKey: key)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        KeyedDecodingContainer(try KeyedReader<NestedKey>(input: input, at: try value(key), path: path + [key]))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
        try UnkeyedReader(input: input, at: try value(key), path: path + [key])
    }

    /// The entry named "super", whatever the container's keys are.
    func superDecoder() throws -> Decoder {
        guard let i = keys.indices.first(where: { matches(keys[$0], "super") }) else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: path, debugDescription: "no value for super"))
        }
        return ValueDecoder(input: input, at: values[i], path: path)
    }

    func superDecoder(forKey key: Key) throws -> Decoder {
        ValueDecoder(input: input, at: try value(key), path: path + [key])
    }
}

struct UnkeyedReader: UnkeyedDecodingContainer {
    let input: Input
    let path: [CodingKey]
    var codingPath: [CodingKey] { path }
    let count: Int?
    private(set) var currentIndex = 0
    private var at: Int
    private let end: Int

    init(input: Input, at: Int, path: [CodingKey]) throws {
        self.input = input
        self.path = path
        let (start, end, count) = try input.container(.unkeyed, at: at, path)
        self.at = start
        self.end = end
        self.count = count
    }

    var isAtEnd: Bool { currentIndex >= count ?? 0 }

    private var here: [CodingKey] { path + [Index(intValue: currentIndex)] }

    /// Reads the next element with `read`, then checks it stayed inside the list.
    private mutating func next<T>(_ read: (inout Int, [CodingKey]) throws -> T) throws -> T {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: here, debugDescription: "the list has no more elements"))
        }
        var i = at
        let v = try read(&i, path)
        guard i <= end else { throw Input.corrupt(here, "an element past its list's end") }
        at = i
        currentIndex += 1
        return v
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, at < end, try input.isNil(at: at, path) else { return false }
        at += 1
        currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try next(input.bool) }
    mutating func decode(_ type: String.Type) throws -> String { try next(input.string) }
    mutating func decode(_ type: Double.Type) throws -> Double { try next(input.double) }
    mutating func decode(_ type: Float.Type) throws -> Float { Float(try next(input.double)) }
    mutating func decode(_ type: Int.Type) throws -> Int { try next { [input] i, p in try input.integer(type, &i, p) } }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next { [input] i, p in try input.integer(type, &i, p) } }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next { [input] i, p in try input.integer(type, &i, p) } }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next { [input] i, p in try input.integer(type, &i, p) } }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next(input.int64) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next { [input] i, p in try input.integer(type, &i, p) } }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next { [input] i, p in try input.integer(type, &i, p) } }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next { [input] i, p in try input.integer(type, &i, p) } }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next { [input] i, p in try input.integer(type, &i, p) } }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next(input.uint64) }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try next { [input] i, p in try input.decodeValue(type, at: &i, path: p) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next { [input] i, p in
            let c = try KeyedReader<NestedKey>(input: input, at: i, path: p)
            try input.skip(&i, p)
            return KeyedDecodingContainer(c)
        }
    }

    mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer {
        try next { [input] i, p in
            let c = try UnkeyedReader(input: input, at: i, path: p)
            try input.skip(&i, p)
            return c
        }
    }

    mutating func superDecoder() throws -> Decoder {
        try next { [input] i, p in
            let d = ValueDecoder(input: input, at: i, path: p)
            try input.skip(&i, p)
            return d
        }
    }
}
