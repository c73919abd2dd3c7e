import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny filesystem of a test's own (a size-limited tmpfs, mounted as root) that the test can fill to the last byte
/// and free again: how a full disk is met for real, without touching the machine's disks.
public final class SmallDisk {
    public let dir: URL
    private var filler: Int32 = -1

    /// Why a full disk cannot be tried here, or nil when it can (root, and the kernel lets this process mount).
    public static let unavailable: String? = {
        guard getuid() == 0 else { return "needs root to mount a small tmpfs" }
        guard let probe = try? SmallDisk(kib: 64) else { return "mounting a tmpfs is not allowed here" }
        _ = probe
        return nil
    }()

    public init(kib: Int) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("agora-disk-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        guard mount("tmpfs", dir.path, "tmpfs", 0, "size=\(kib)k,mode=0755") == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: dir)
            throw NSError(domain: "SmallDisk", code: Int(errno), userInfo: [NSLocalizedDescriptionKey: "mount: \(reason)"])
        }
    }

    deinit {
        if filler >= 0 { close(filler) }
        umount2(dir.path, Int32(MNT_DETACH))
        try? FileManager.default.removeItem(at: dir)
    }

    /// Fills every free byte with a file of its own; returns how many bytes that took.
    @discardableResult
    public func fill() -> Int {
        if filler < 0 { filler = open(dir.appendingPathComponent(".filler").path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600) }
        let chunk = [UInt8](repeating: 0x55, count: 4096)
        var total = 0
        while true {
            let n = chunk.withUnsafeBytes { write(filler, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            total += n
        }
        // The last partial block too: a byte at a time.
        var one: UInt8 = 0
        while write(filler, &one, 1) == 1 { total += 1 }
        return total
    }

    /// Gives back all the space the filler took.
    public func free() {
        guard filler >= 0 else { return }
        ftruncate(filler, 0)
    }
}
