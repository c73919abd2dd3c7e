import CLibFuzzer

/// What every fuzz target shares: turning libFuzzer's bytes into inputs, and failing loudly when an invariant breaks.
///
/// A broken invariant is a crash (`fatalError`), which libFuzzer records as a crash with the input that caused it.
public enum Fuzz {
    /// The fuzz target's `main`: libFuzzer's driver, with its command line (`-max_total_time=60 corpus/` ...).
    public static func run(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
                           _ body: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt {
        var argc = argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
        return LLVMFuzzerRunDriver(&argc, &argv, body)
    }

    /// Stops the run: libFuzzer saves the input as `crash-…` and prints the message above ASan's report.
    public static func fail(_ what: @autoclosure () -> String, _ file: StaticString = #fileID, line: UInt = #line) -> Never {
        fatalError("invariant broken: \(what())", file: file, line: line)
    }

    /// `fail` unless `condition` holds.
    @inline(__always)
    public static func check(_ condition: Bool, _ what: @autoclosure () -> String,
                             _ file: StaticString = #fileID, line: UInt = #line) {
        if !condition { fail(what(), file, line: line) }
    }

    /// The input as text. Agora reads files as UTF-8 (`String(contentsOfFile:encoding: .utf8)`, which refuses
    /// anything else), so bytes that are not UTF-8 are not an input any parser can see.
    public static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        String(validating: bytes, as: UTF8.self)
    }

    /// The scalars of `s` as U+XXXX, for messages.
    public static func scalars(_ s: some StringProtocol) -> String {
        s.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }.joined(separator: " ")
    }
}

/// Reads small numbers off the front of the input (choices a target makes), leaving the rest as its data.
public struct FuzzInput {
    public let bytes: UnsafeBufferPointer<UInt8>
    public var index = 0
    public init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    public mutating func byte() -> UInt8 {
        guard index < bytes.count else { return 0 }
        defer { index += 1 }
        return bytes[index]
    }

    public var rest: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: bytes[min(index, bytes.count)...]) }
}
