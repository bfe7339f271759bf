import Foundation
import FulfillmentCore

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
    private let slotPath: String?
    private let shared: (any SharedRateBudget)?
    /// Told once when the slot file held a time no limiter could have written.
    private let repaired: (@Sendable (String) -> Void)?
    private var toldRepair = false

    /// The longest one wait may be: a 0.01/s budget (the slowest a setting allows) waits 105 s,
    /// and Flxpoint's longest `Retry-After` is far below an hour. A slot further ahead than this
    /// was not written by a limiter: it is reset to now, never slept on.
    public static let longestWait: Double = 3_600

    /// A budget kept by a store every process of the token shares (on several machines): each
    /// slot is reserved there, by the store's clock.
    public init(requestsPerSecond: Double, shared: any SharedRateBudget) {
        interval = Self.interval(requestsPerSecond)
        nextSlot = Date().timeIntervalSince1970
        slotFile = nil
        slotPath = nil
        repaired = nil
        self.shared = interval > 0 ? shared : nil
    }

    /// `requestsPerSecond` of 0 or less means unlimited. `slotFile`: share the budget with
    /// other processes using the same file. `repaired` is told when that file held a slot
    /// no limiter could have written (and it was reset to now).
    public init(
        requestsPerSecond: Double, slotFile: String? = nil, repaired: (@Sendable (String) -> Void)? = nil
    ) {
        interval = Self.interval(requestsPerSecond)
        let requestsPerSecond = interval > 0 ? requestsPerSecond : 0
        slotPath = slotFile
        self.repaired = repaired
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

    /// Seconds between two requests, with the 5% margin; 0 (no limit) for 0, a negative, NaN or
    /// infinite rate, and never more than `longestWait`, whatever rate a caller passes.
    static func interval(_ requestsPerSecond: Double) -> Double {
        guard requestsPerSecond.isFinite, requestsPerSecond > 0 else { return 0 }
        return min(1.05 / requestsPerSecond, longestWait)
    }

    /// Waits for this caller's slot; `waiting` is told how long first, when there is a wait.
    /// Returns the slot reserved (wall-clock seconds): what the limiter promises is that no two
    /// slots of its budget are closer than its interval, however late a loaded machine wakes
    /// the callers that hold them.
    @discardableResult
    public func acquire(waiting: (@Sendable (Duration) -> Void)? = nil) async throws -> Double {
        let now = Date().timeIntervalSince1970
        let wait: Double
        if let shared {
            wait = try await shared.reserve(interval: interval)
        } else {
            let slot = withSharedSlot(now: now) { shared in
                let slot = max(now, nextSlot, shared)
                return (slot, slot + interval)
            }
            nextSlot = slot + interval
            wait = slot - now
        }
        // Whatever a store handed back, no wait is longer than a limiter could have asked for.
        guard wait.isFinite, wait > 0 else { return now }
        let bounded = Duration.seconds(min(wait, Self.longestWait))
        waiting?(bounded)
        try await Task.sleep(for: bounded)
        return now + bounded.timeInterval
    }

    /// Holds every caller back until `delay` from now, after Flxpoint said to slow down.
    public func pause(for delay: Duration) async {
        if let shared {
            try? await shared.hold(for: delay.timeInterval)
            return
        }
        let now = Date().timeIntervalSince1970
        let until = now + min(max(0, delay.timeInterval), Self.longestWait)
        nextSlot = max(nextSlot, until)
        _ = withSharedSlot(now: now) { shared in (until, until) }
    }

    /// Runs `pick` on the shared next-free time (0 without a file) under the file lock and
    /// stores the later of it and the `next` that `pick` returns; returns the picked slot. What
    /// the file holds is checked like any input: a time further ahead than `longestWait` (or
    /// not a number) is read as now, and said once.
    private func withSharedSlot(now: Double, _ pick: (Double) -> (slot: Double, next: Double)) -> Double {
        nextSlot = Self.plausible(nextSlot, now: now) ?? now
        guard let fd = slotFile else { return pick(0).slot }
        flock(fd, LOCK_EX)
        defer { flock(fd, LOCK_UN) }
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = pread(fd, &buffer, buffer.count, 0)
        let text = count > 0 ? String(decoding: buffer[..<count], as: UTF8.self) : ""
        var shared = 0.0
        if !text.isEmpty {
            if let read = Double(text), let slot = Self.plausible(read, now: now) {
                shared = slot
            } else if !toldRepair {
                toldRepair = true
                repaired?(
                    "the request slot file \(slotPath ?? "") held \(Quote.short(text)), not a time a limiter writes; "
                        + "it is reset to now")
            }
        }
        let (slot, next) = pick(shared)
        let out = String(format: "%.6f", max(shared, next))
        _ = ftruncate(fd, 0)
        _ = out.withCString { pwrite(fd, $0, strlen($0), 0) }
        return slot
    }

    /// `slot` when a limiter could have written it (a finite time no further ahead than
    /// `longestWait` from now), else nil.
    static func plausible(_ slot: Double, now: Double) -> Double? {
        slot.isFinite && slot <= now + longestWait ? slot : nil
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
