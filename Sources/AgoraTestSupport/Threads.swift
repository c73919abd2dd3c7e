import Foundation

// Threads, for tests of what must hold when sessions act at the same moment (the store contract, the daemon).

/// A value handed to other threads as it is (a store is used from one thread at a time in these tests, or is
/// documented as safe to share).
public final class ThreadShared<T>: @unchecked Sendable {
    public let value: T
    public init(_ value: T) { self.value = value }
}

/// What threads report back, under a lock.
public final class ThreadCollected<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [T] = []
    public init() {}
    public func append(_ item: T) { lock.lock(); items.append(item); lock.unlock() }
    public var all: [T] { lock.lock(); defer { lock.unlock() }; return items }
}

/// A flag one thread raises and others read.
public final class ThreadFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false
    public init() {}
    public func raise() { lock.lock(); raised = true; lock.unlock() }
    public var isRaised: Bool { lock.lock(); defer { lock.unlock() }; return raised }
}

/// Runs `work(0) … work(n-1)` on `n` threads released together, and returns when every one has finished.
public func onThreads(_ n: Int, _ work: @escaping @Sendable (Int) -> Void) {
    let gate = DispatchSemaphore(value: 0)
    let done = DispatchGroup()
    for i in 0..<n {
        done.enter()
        let thread = Thread {
            gate.wait()
            work(i)
            done.leave()
        }
        thread.start()
    }
    for _ in 0..<n { gate.signal() }
    done.wait()
}

/// A small deterministic generator, so a property test that fails fails the same way again.
public struct SplitMix: RandomNumberGenerator {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
