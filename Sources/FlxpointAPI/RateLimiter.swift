import Synchronization

/// Spaces requests so one token stays at or below `requestsPerSecond`, across every caller
/// that shares the limiter.
///
/// A slot is reserved before sleeping, so concurrent callers queue in arrival order and
/// never burst. The interval carries a 5% margin: Flxpoint (and the sandbox) count by
/// arrival, and loopback or network jitter must not push two sends into one window.
public actor RateLimiter {
    private let interval: Duration
    private var nextSlot: ContinuousClock.Instant
    private let clock = ContinuousClock()

    /// `requestsPerSecond` of 0 or less means unlimited.
    public init(requestsPerSecond: Double) {
        interval = requestsPerSecond > 0 ? .seconds(1.05 / requestsPerSecond) : .zero
        nextSlot = clock.now
    }

    /// Waits for this caller's slot.
    public func acquire() async throws {
        let now = clock.now
        let slot = max(now, nextSlot)
        nextSlot = slot + interval
        if slot > now { try await Task.sleep(until: slot, clock: clock) }
    }

    /// Holds every caller back until `delay` from now, after Flxpoint said to slow down.
    public func pause(for delay: Duration) {
        nextSlot = max(nextSlot, clock.now + delay)
    }

    private static let shared = Mutex<[FlxpointToken: RateLimiter]>([:])

    /// The limiter for a token, shared by every client in this process that uses it.
    public static func forToken(_ token: FlxpointToken, requestsPerSecond: Double) -> RateLimiter {
        shared.withLock { limiters in
            if let existing = limiters[token] { return existing }
            let limiter = RateLimiter(requestsPerSecond: requestsPerSecond)
            limiters[token] = limiter
            return limiter
        }
    }
}
