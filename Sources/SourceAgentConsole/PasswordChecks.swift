import Foundation
import NIOPosix
import Synchronization

/// Where sign-ins check password hashes: on threads of their own, off Swift's cooperative
/// pool, which the agent's cycle shares (a 64 MiB Argon2 or a bcrypt check takes a good part
/// of a second, and a few at once there would stall the cycle and the pages). At most
/// `threads` run at once and `waiting` more wait; a sign-in beyond that is told the console is
/// busy rather than queued without end. The sign-in throttle bounds how often one name tries.
final class PasswordChecks: Sendable {
    /// Checks running at once.
    static let threads = 2
    /// Checks waiting for a thread before a sign-in is refused as busy.
    static let waiting = 6

    private let pool: NIOThreadPool
    private let admitted = Mutex(0)

    init() {
        pool = NIOThreadPool(numberOfThreads: Self.threads)
        pool.start()
    }

    /// Why a check did not run.
    enum Busy: Error { case busy }

    /// `check` run on the pool; throws `Busy` when too many are running or waiting.
    func run<T: Sendable>(_ check: @escaping @Sendable () -> T) async throws -> T {
        let admit = admitted.withLock { count -> Bool in
            guard count < Self.threads + Self.waiting else { return false }
            count += 1
            return true
        }
        guard admit else { throw Busy.busy }
        defer { admitted.withLock { $0 -= 1 } }
        return try await pool.runIfActive(check)
    }

    /// Stops the threads once the checks under way are done.
    func shutdown() async {
        try? await pool.shutdownGracefully()
    }
}
