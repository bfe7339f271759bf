import Synchronization

/// Starts the agent's next cycles early: the web console and SIGUSR1 poke it after a person's
/// decision, so the answer goes out in seconds instead of after the rest of `--interval`.
/// Every source's loop sleeps on it, and one poke wakes them all.
public final class CycleWake: Sendable {
    /// Per sleeping loop: poked since it last woke.
    private let poked = Mutex<[String: Bool]>([:])

    public init() {}

    public func poke() { poked.withLock { for key in $0.keys { $0[key] = true } } }

    /// Sleeps for `interval`, or less when poked meanwhile (or since this loop's last sleep).
    /// Cancellation ends it.
    func sleep(for interval: Duration, loop: String = "") async throws {
        register(loop)
        let deadline = ContinuousClock.now + interval
        while ContinuousClock.now < deadline {
            if take(loop) { return }
            try await Task.sleep(for: min(Self.step, deadline - ContinuousClock.now))
        }
        _ = take(loop)
    }

    /// From now on a poke is kept for `loop` until it sleeps.
    func register(_ loop: String) { poked.withLock { if $0[loop] == nil { $0[loop] = false } } }

    private func take(_ loop: String) -> Bool {
        poked.withLock { poked in
            defer { poked[loop] = false }
            return poked[loop] ?? false
        }
    }

    /// How often a sleeping agent looks for a poke: a person waits at most this long.
    static let step: Duration = .milliseconds(100)
}
