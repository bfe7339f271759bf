import Synchronization

/// Starts the agent's next cycle early: the web console pokes it after a person's decision,
/// so the answer goes out in seconds instead of after the rest of `--interval`.
public final class CycleWake: Sendable {
    private let poked = Mutex(false)

    public init() {}

    public func poke() { poked.withLock { $0 = true } }

    /// Sleeps for `interval`, or less when poked meanwhile (or before). Cancellation ends it.
    func sleep(for interval: Duration) async throws {
        let deadline = ContinuousClock.now + interval
        while ContinuousClock.now < deadline {
            if poked.withLock({ was in
                defer { was = false }
                return was
            }) {
                return
            }
            try await Task.sleep(for: min(Self.step, deadline - ContinuousClock.now))
        }
        poked.withLock { $0 = false }
    }

    /// How often a sleeping agent looks for a poke: a person waits at most this long.
    static let step: Duration = .milliseconds(100)
}
