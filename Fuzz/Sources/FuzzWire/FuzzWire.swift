import AgoraCore
import AgoraWire
import Foundation
import FuzzSupport

// The daemon's wire: what `agora serve` reads from any local user's socket (`FrameReader`, the JSON hello,
// `BinaryCoder`'s form of a `Call`), and what a session reads back from the daemon (replies and pushes).
//
// Input: one byte of choices, then the bytes. The choice says what they are:
//   0  a byte stream as a connection delivers it, cut into reads of 1 to 64 bytes (the second byte): frames are cut
//      out with the daemon's limit and decoded as the daemon does (hello as JSON, a request as a `Call`);
//   1  a request's body: a `Call` in the binary form;
//   2  a hello's body (JSON);
//   3  what a session decodes from the daemon (the second byte picks: a change batch, presence, a failure, a thread).
//
// Invariants: bytes give a value or an error (`WireError` from `Wire.decode`, a `DecodingError` from the coder), never
// a crash; nothing is allocated in proportion to a length the bytes do not back (libFuzzer's -malloc_limit_mb and
// -rss_limit_mb stop the run if it is); a frame that comes out is the bytes that went in (`Wire.frame` of it gives them
// back); a decoded value re-encodes, and that encoding decodes and re-encodes to the same bytes (by bytes: a NaN date
// is not equal to itself); Equatable values without dates decode equal.

/// `main` (SwiftPM links it as `FuzzWire_main` on Linux): libFuzzer's driver over `fuzzWire`.
@_cdecl("FuzzWire_main")
public func fuzzWireMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    Fuzz.run(argc, argv, fuzzWire)
}

/// AGORA_FUZZ_VERBOSE=1: says what each input decoded to (to check that the seeds are what they claim).
private let verbose = getenv("AGORA_FUZZ_VERBOSE") != nil

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWire(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(UnsafeBufferPointer(start: data, count: size))
    switch input.byte() % 4 {
    case 0:
        let chunk = Int(input.byte() % 64) + 1
        stream(Array(input.rest), chunk: chunk)
    case 1:
        request(Array(input.rest))
    case 2:
        hello(Array(input.rest))
    default:
        let which = input.byte()
        let body = Array(input.rest)
        switch which % 4 {
        case 0: roundTrip(ChangeBatch.self, body)
        case 1: equalRoundTrip(Presence.self, body)
        case 2: equalRoundTrip(WireFailure.self, body)
        default: roundTrip(Box<ThreadView>.self, body)
        }
    }
    return 0
}

/// As `ConnectionHandler.channelRead`: append what arrived, take every whole frame, stop at the first error.
private func stream(_ bytes: [UInt8], chunk: Int) {
    var reader = FrameReader(limit: Wire.maxRequestBytes)
    var consumed = 0, appended = 0
    while appended < bytes.count {
        let end = min(bytes.count, appended + chunk)
        reader.append(bytes[appended..<end])
        appended = end
        Fuzz.check(reader.buffered == appended - consumed, "buffered \(reader.buffered), not \(appended - consumed)")
        do {
            while let frame = try reader.next() {
                let again = Wire.frame(frame.kind, id: frame.id, body: frame.body)
                Fuzz.check(again.elementsEqual(bytes[consumed..<consumed + again.count]),
                           "a frame (\(frame.kind), id \(frame.id), \(frame.body.count) bytes) is not the bytes it came from")
                consumed += again.count
                Fuzz.check(reader.buffered == appended - consumed, "buffered \(reader.buffered) after a frame, not \(appended - consumed)")
                switch frame.kind {
                case .hello: hello(frame)
                case .request: request(frame.body)
                default: break   // the daemon drops a client that sends anything else
                }
            }
        } catch let e as WireError {
            if case .tooLarge(let n, let limit) = e { Fuzz.check(n > limit, "\(e) for a frame within the limit") }
            return   // the daemon drops the connection
        } catch {
            Fuzz.fail("FrameReader.next threw \(type(of: error)), not WireError: \(error)")
        }
    }
}

private func request(_ body: [UInt8]) {
    let call: Call
    do { call = try Wire.decode(Call.self, body) } catch is WireError { return } catch {
        Fuzz.fail("Wire.decode(Call) threw \(type(of: error)), not WireError: \(error)")
    }
    if verbose { print("FuzzWire: a \(call.name) call (\(body.count) bytes)") }
    _ = call.writes
    fixpoint(call, Call.self)
}

private func hello(_ frame: Frame) {
    let h: Hello
    do { h = try Wire.decode(Hello.self, frame) } catch is WireError { return } catch {
        Fuzz.fail("Wire.decode(Hello) threw \(type(of: error)), not WireError: \(error)")
    }
    let again: Frame
    do {
        var reader = FrameReader(limit: Wire.maxRequestBytes)
        reader.append(try Wire.frame(.hello, h))
        guard let f = try reader.next() else { Fuzz.fail("a hello's own frame is not whole") }
        again = f
    } catch { Fuzz.fail("a decoded hello \(h) does not encode: \(error)") }
    do {
        if verbose { print("FuzzWire: a hello from \(h.origin.debugDescription)") }
        let back = try Wire.decode(Hello.self, again)
        Fuzz.check(back == h, "hello \(h) came back as \(back)")
    } catch { Fuzz.fail("a hello \(h) as encoded does not decode: \(error)") }
}

private func hello(_ body: [UInt8]) { hello(Frame(kind: .hello, id: 0, body: body)) }

/// Decodes `body` as `T`; if that works, checks that re-encoding is a fixpoint.
@discardableResult
private func roundTrip<T: Codable>(_: T.Type, _ body: [UInt8]) -> (T, T)? {
    let value: T
    do { value = try BinaryCoder.decode(T.self, from: body) } catch is DecodingError { return nil } catch {
        Fuzz.fail("BinaryCoder.decode(\(T.self)) threw \(type(of: error)), not DecodingError: \(error)")
    }
    return (value, fixpoint(value, T.self))
}

private func equalRoundTrip<T: Codable & Equatable>(_: T.Type, _ body: [UInt8]) {
    guard let (value, back) = roundTrip(T.self, body) else { return }
    Fuzz.check(value == back, "\(value) came back as \(back)")
}

/// encode(value) decodes to a value whose encoding is the same bytes.
@discardableResult
private func fixpoint<T: Codable>(_ value: T, _: T.Type) -> T {
    let once: [UInt8]
    do { once = try BinaryCoder.encode(value) } catch { Fuzz.fail("a decoded \(T.self) does not encode: \(error)") }
    if verbose { print("FuzzWire: a \(T.self) (\(once.count) bytes re-encoded)") }
    let back: T
    do { back = try BinaryCoder.decode(T.self, from: once) } catch {
        Fuzz.fail("a decoded \(T.self), re-encoded (\(once.count) bytes), does not decode: \(error)")
    }
    let twice: [UInt8]
    do { twice = try BinaryCoder.encode(back) } catch { Fuzz.fail("a \(T.self) decoded twice does not encode: \(error)") }
    Fuzz.check(once == twice, "a \(T.self) re-encoded differs: \(once.count) bytes, then \(twice.count)")
    return back
}
