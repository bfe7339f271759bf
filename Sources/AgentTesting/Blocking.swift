import Foundation

/// Work that blocks a thread (a child process waited for), moved off Swift's cooperative pool.
/// That pool has a thread per core, two on a small machine; a test holding one while `initdb`,
/// `psql` or `tidy` runs would stall every sandbox and test task queued behind it.
public enum Blocking {
    /// Runs `body` on a thread of its own and waits for it without holding a pool thread.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }
}
