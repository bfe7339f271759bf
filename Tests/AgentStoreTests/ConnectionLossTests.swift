import AgentTesting
import Foundation
import Synchronization
import Testing

@testable import AgentStorePostgres

/// What a transaction sees when the server ends its connection under it: an error soon, never
/// a wait without end (a process paused mid-transaction finds, when it wakes, that the server
/// ended the transaction it left idle).
@Suite("Connections the server ends")
struct ConnectionLossTests {
    /// Runs `body`; nil when it ended (the error it threw, if any, inside), or nil and an issue
    /// recorded when it is still waiting after `seconds`. The waiting task is left behind: a
    /// query that never returns cannot be cancelled.
    static func ends(within seconds: Double, _ body: @escaping @Sendable () async throws -> Void) async
        -> Result<Void, any Error>?
    {
        let once = Once()
        let outcome = await withCheckedContinuation { continuation in
            once.set(continuation)
            Task {
                do {
                    try await body()
                    once.finish(.success(()))
                } catch {
                    once.finish(.failure(error))
                }
            }
            Task {
                try? await Task.sleep(for: .seconds(seconds))
                once.finish(nil)
            }
        }
        if outcome == nil { Issue.record("still waiting after \(seconds)s") }
        return outcome
    }

    @Test("a transaction left idle past the server's time-out fails at its next statement, and the next one works")
    func idleTransactionEnded() async throws {
        try await ScratchPostgres.withDatabase { scratch in
            let database = PostgresDatabase(settings: scratch.settings)
            let outcome = await Self.ends(within: 20) {
                try await database.write { connection in
                    // This transaction only: a loaded machine's next transactions may pause longer.
                    try await connection.run("SET LOCAL idle_in_transaction_session_timeout = '200ms'", database.logger)
                    try await Task.sleep(for: .milliseconds(800))
                    try await connection.run("SELECT 1", database.logger)
                }
            }
            guard case .failure(let error)? = outcome else {
                Issue.record("the statement after the server ended the transaction did not fail")
                return
            }
            #expect("\(error)".contains("the server ended the connection"), "\(error)")
            let after = await Self.ends(within: 20) {
                _ = try await database.read { try await $0.run("SELECT 1", database.logger) }
            }
            if case .failure(let error)? = after { Issue.record("the next transaction failed: \(error)") }
            await database.close()
        }
    }

    @Test(
        "a transaction whose connection another session terminates fails at its next statement, and the next one works")
    func terminatedMidTransaction() async throws {
        try await ScratchPostgres.withDatabase { scratch in
            let cluster = try #require(try await PostgresCluster.shared())
            var settings = scratch.settings
            settings.applicationName = "loss-\(UUID().uuidString.prefix(8))"
            let database = PostgresDatabase(settings: settings)
            let (name, application) = (settings.url.database, settings.applicationName)
            let outcome = await Self.ends(within: 20) {
                try await database.write { connection in
                    try await connection.run("SELECT 1", database.logger)
                    _ = try await cluster.psql(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '\(application)'",
                        database: name)
                    try await Task.sleep(for: .milliseconds(300))
                    try await connection.run("SELECT 1", database.logger)
                }
            }
            guard case .failure? = outcome else {
                Issue.record("the statement after the connection was terminated did not fail")
                return
            }
            // The pool's idle connections, ended too, are replaced without an error.
            _ = try await database.read { try await $0.run("SELECT 1", database.logger) }
            _ = try await cluster.psql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '\(application)'",
                database: name)
            try await Task.sleep(for: .milliseconds(300))
            let after = await Self.ends(within: 20) {
                _ = try await database.write { try await $0.run("SELECT 1", database.logger) }
            }
            if case .failure(let error)? = after { Issue.record("the next transaction failed: \(error)") }
            await database.close()
        }
    }
}

/// The continuation of `ConnectionLossTests.ends`, resumed by whichever task ends first.
private final class Once: Sendable {
    private let continuation = Mutex<CheckedContinuation<Result<Void, any Error>?, Never>?>(nil)

    func set(_ continuation: CheckedContinuation<Result<Void, any Error>?, Never>) {
        self.continuation.withLock { $0 = continuation }
    }

    func finish(_ result: Result<Void, any Error>?) {
        continuation.withLock { $0.take() }?.resume(returning: result)
    }
}
