// TestGate: the trait that keeps tests measuring the wall clock alone.

import Testing

/// Tests run in parallel; a few measure the wall clock (requests per second as the sandbox
/// sees them, a time-out, "refused at once"), and on a loaded 2-core machine the others would
/// bend those figures. Every suite holds this gate shared (`.sharesMachine`); a test that
/// measures time holds it alone (`.measuresWallClock`): it waits for the tests running to
/// finish, and none starts until it is done.
public struct WallClockGate: TestTrait, SuiteTrait, TestScoping {
    let exclusive: Bool

    public var isRecursive: Bool { true }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        // Only a test case's run holds the gate: a suite or a whole parameterised test holding
        // it would wait on its own cases.
        guard testCase != nil else { return try await function() }
        let measures = test.traits.contains { ($0 as? WallClockGate)?.exclusive == true }
        // A timing test inside a shared suite sees both traits; only the exclusive one acts.
        if measures != exclusive { return try await function() }
        await GateLock.shared.acquire(exclusive: exclusive)
        do {
            try await function()
        } catch {
            await GateLock.shared.release(exclusive: exclusive)
            throw error
        }
        await GateLock.shared.release(exclusive: exclusive)
    }
}

extension Trait where Self == WallClockGate {
    /// The suite's tests run beside others, but not beside a test that measures time.
    public static var sharesMachine: Self { WallClockGate(exclusive: false) }
    /// The test measures the wall clock: it runs alone.
    public static var measuresWallClock: Self { WallClockGate(exclusive: true) }
}

/// A readers–writer lock for tasks, preferring writers: once a timing test waits, no new test
/// starts before it.
actor GateLock {
    static let shared = GateLock()

    private var readers = 0
    private var writer = false
    private var waitingWriters: [CheckedContinuation<Void, Never>] = []
    private var waitingReaders: [CheckedContinuation<Void, Never>] = []

    func acquire(exclusive: Bool) async {
        if exclusive {
            if !writer && readers == 0 && waitingWriters.isEmpty {
                writer = true
                return
            }
            await withCheckedContinuation { waitingWriters.append($0) }
        } else {
            if !writer && waitingWriters.isEmpty {
                readers += 1
                return
            }
            await withCheckedContinuation { waitingReaders.append($0) }
        }
    }

    func release(exclusive: Bool) {
        if exclusive { writer = false } else { readers -= 1 }
        guard !writer, readers == 0 || waitingWriters.isEmpty else { return }
        if readers == 0, !waitingWriters.isEmpty {
            // Ownership passes straight to the next writer.
            writer = true
            waitingWriters.removeFirst().resume()
        } else if waitingWriters.isEmpty {
            readers += waitingReaders.count
            for reader in waitingReaders { reader.resume() }
            waitingReaders = []
        }
    }
}
