// TestGate: the trait that keeps tests measuring the wall clock apart from the others.

import Testing

/// Tests run in parallel; a few measure the wall clock (requests per second as the sandbox
/// sees them, a time-out, "refused at once"), and on a loaded 2-core machine the others would
/// bend those figures. Every suite holds this gate shared (`.sharesMachine`). A test that times
/// its own work ("refused at once") holds it alone (`.measuresWallClock`). A test that counts
/// requests per second against a rate limit or a lag, or gives a process seconds to stop
/// (`.pacedByTheClock`), runs beside other such tests only: they mostly wait, each on its own sandbox, so together they take as long as the
/// longest of them rather than the sum, and nothing busy runs beside them to bunch up arrivals.
public struct WallClockGate: TestTrait, SuiteTrait, TestScoping {
    let group: GateLock.Group

    public var isRecursive: Bool { true }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        // Only a test case's run holds the gate: a suite or a whole parameterised test holding
        // it would wait on its own cases.
        guard testCase != nil else { return try await function() }
        // A timing test inside a shared suite sees both traits; only the timing one acts.
        let own = test.traits.compactMap { ($0 as? WallClockGate)?.group }.first { $0 != .shared } ?? .shared
        if own != group { return try await function() }
        await GateLock.shared.acquire(group)
        do {
            try await function()
        } catch {
            await GateLock.shared.release()
            throw error
        }
        await GateLock.shared.release()
    }
}

extension Trait where Self == WallClockGate {
    /// The suite's tests run beside others, but not beside a test that measures time.
    public static var sharesMachine: Self { WallClockGate(group: .shared) }
    /// The test times its own work: it runs alone.
    public static var measuresWallClock: Self { WallClockGate(group: .alone) }
    /// The test counts requests against a rate limit or a lag, or gives a process a few seconds to stop: it runs
    /// beside such tests only.
    public static var pacedByTheClock: Self { WallClockGate(group: .paced) }
}

/// A lock held by one group at a time, preferring timing tests: once one waits, no new shared
/// test starts before it has run.
actor GateLock {
    /// Who may hold the lock together: any number of shared or of paced tests, one alone test.
    enum Group: Sendable {
        case shared, paced, alone
    }

    static let shared = GateLock()
    static let timingFirst = Duration.seconds(1)

    private var holders = 0
    private var holding: Group = .shared
    private var waiting: [Group: [CheckedContinuation<Void, Never>]] = [:]

    /// When the first test asked for the gate.
    private var opened: ContinuousClock.Instant?

    func acquire(_ group: Group) async {
        // Every test asks for the gate within the first half-second of a run. Shared tests asking
        // in the first second wait for that second to end, so the timing tests go first rather
        // than queue behind a minute-long crash test that happened to ask a moment earlier.
        // Only speed depends on this: any order is correct.
        let opened = self.opened ?? ContinuousClock.now
        self.opened = opened
        if group == .shared, ContinuousClock.now < opened + Self.timingFirst {
            try? await Task.sleep(until: opened + Self.timingFirst)
        }
        let timingWaits = [Group.paced, .alone].contains { !(waiting[$0] ?? []).isEmpty }
        let joins = holding == group && group != .alone && (group == .paced || !timingWaits)
        if holders == 0 || joins {
            holding = group
            holders += 1
            return
        }
        await withCheckedContinuation { waiting[group, default: []].append($0) }
    }

    /// Lets the next group in once the last holder leaves.
    func release() {
        holders -= 1
        guard holders == 0 else { return }
        // One alone test, else every paced test waiting, else every shared test waiting.
        for next in [Group.alone, .paced, .shared] {
            guard var queue = waiting[next], !queue.isEmpty else { continue }
            let admitted = next == .alone ? [queue.removeFirst()] : queue
            waiting[next] = next == .alone ? queue : []
            holding = next
            holders = admitted.count
            for continuation in admitted { continuation.resume() }
            return
        }
    }
}
