import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Spaces requests so one token stays at or below `requestsPerSecond`, across every caller
/// that shares the limiter, and, with a slot file, across every process that shares the file.
///
/// A slot is reserved before sleeping, so concurrent callers queue in arrival order and
/// never burst. The interval carries a 5% margin: Flxpoint (and the sandbox) count by
/// arrival, and loopback or network jitter must not push two sends into one window.
///
/// The slot file (beside the database) holds the next free slot as wall-clock seconds; each
/// reservation reads and advances it under `flock`, so `run` and a one-shot command such as
/// `inventory push` together stay within the token's budget.
public actor RateLimiter {
    private let interval: Double
    private var nextSlot: Double
    private let slotFile: Int32?
    private let shared: (any SharedRateBudget)?

    /// A budget kept by a store every process of the token shares (on several machines): each
    /// slot is reserved there, by the store's clock.
    public init(requestsPerSecond: Double, shared: any SharedRateBudget) {
        interval = requestsPerSecond > 0 ? 1.05 / requestsPerSecond : 0
        nextSlot = Date().timeIntervalSince1970
        slotFile = nil
        self.shared = requestsPerSecond > 0 ? shared : nil
    }

    /// `requestsPerSecond` of 0 or less means unlimited. `slotFile`: share the budget with
    /// other processes using the same file.
    public init(requestsPerSecond: Double, slotFile: String? = nil) {
        interval = requestsPerSecond > 0 ? 1.05 / requestsPerSecond : 0
        nextSlot = Date().timeIntervalSince1970
        if let slotFile, requestsPerSecond > 0 {
            let fd = open(slotFile, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            self.slotFile = fd >= 0 ? fd : nil
        } else {
            self.slotFile = nil
        }
        shared = nil
    }

    deinit { if let slotFile { close(slotFile) } }

    /// Waits for this caller's slot; `waiting` is told how long first, when there is a wait.
    public func acquire(waiting: (@Sendable (Duration) -> Void)? = nil) async throws {
        let wait: Double
        if let shared {
            wait = try await shared.reserve(interval: interval)
        } else {
            let now = Date().timeIntervalSince1970
            let slot = withSharedSlot { shared in
                let slot = max(now, nextSlot, shared)
                return (slot, slot + interval)
            }
            nextSlot = slot + interval
            wait = slot - now
        }
        guard wait > 0 else { return }
        waiting?(.seconds(wait))
        try await Task.sleep(for: .seconds(wait))
    }

    /// Holds every caller back until `delay` from now, after Flxpoint said to slow down.
    public func pause(for delay: Duration) async {
        if let shared {
            try? await shared.hold(for: delay.timeInterval)
            return
        }
        let until = Date().timeIntervalSince1970 + delay.timeInterval
        nextSlot = max(nextSlot, until)
        _ = withSharedSlot { shared in (until, until) }
    }

    /// Runs `pick` on the shared next-free time (0 without a file) under the file lock and
    /// stores the later of it and the `next` that `pick` returns; returns the picked slot.
    private func withSharedSlot(_ pick: (Double) -> (slot: Double, next: Double)) -> Double {
        guard let fd = slotFile else { return pick(0).slot }
        flock(fd, LOCK_EX)
        defer { flock(fd, LOCK_UN) }
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = pread(fd, &buffer, buffer.count, 0)
        let shared = count > 0 ? Double(String(decoding: buffer[..<count], as: UTF8.self)) ?? 0 : 0
        let (slot, next) = pick(shared)
        let text = String(format: "%.6f", max(shared, next))
        _ = ftruncate(fd, 0)
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
        return slot
    }
}

/// A token's request budget kept where every process using the token sees it, whichever
/// machine it runs on (the shared PostgreSQL store).
public protocol SharedRateBudget: Sendable {
    /// Reserves the next slot, `interval` seconds after the last one reserved, and returns how
    /// many seconds to wait for it.
    func reserve(interval: Double) async throws -> Double
    /// Holds every process back for `seconds` (Flxpoint said to slow down).
    func hold(for seconds: Double) async throws
}
