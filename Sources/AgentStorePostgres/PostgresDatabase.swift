import FlxpointAPI
import Foundation
import Logging
import PostgresNIO

/// The shared database: connections to the primary and the transactions every store call
/// runs in. Writes run in READ COMMITTED transactions under transaction-scoped locks (never a
/// session lock, which a transaction pooler would leak to another client); reads run in one
/// REPEATABLE READ snapshot, as SQLite's readers do. A serialization failure or deadlock
/// retries the whole transaction.
public final class PostgresDatabase: Sendable {
    let connector: PostgresConnector
    let logger: Logger
    /// How it connects: a second `PostgresDatabase` made from them is another process's view.
    public let settings: PostgresSettings

    /// Connects lazily: nothing is opened until the first call.
    public init(settings: PostgresSettings, logger: Logger = Logger(label: "source-agent.postgres")) {
        var logger = logger
        // postgres-nio logs every query at debug; the agent's own lines say what matters.
        logger.logLevel = max(logger.logLevel, .info)
        self.logger = logger
        self.settings = settings
        connector = PostgresConnector(settings: settings, logger: logger)
    }

    /// Closes every connection.
    public func close() async { await connector.close() }

    /// Runs `body` in a write transaction, retried on serialization failures and deadlocks.
    @discardableResult
    func write<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await transaction(readOnly: false, body)
    }

    /// Runs `body` in a read-only snapshot.
    func read<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await transaction(readOnly: true, body)
    }

    private func transaction<T: Sendable>(readOnly: Bool, _ body: (PostgresConnection) async throws -> T)
        async throws -> T
    {
        var attempt = 0
        while true {
            attempt += 1
            let connection = try await connector.acquire()
            var reusable = true
            do {
                let result = try await run(readOnly: readOnly, on: connection, body)
                await connector.release(connection, reusable: true)
                return result
            } catch is StaleConnection where attempt < 8 {
                // A kept connection the server (or a pooler, or the network) had ended: nothing
                // was sent on it, so a fresh one is tried at once.
                await connector.release(connection, reusable: false)
                continue
            } catch {
                // The server refused a statement, or the work threw its own error: the connection
                // is fine once the transaction is rolled back. Any other failure closes it.
                reusable = (PostgresErrorText.isServerError(error) || !(error is PSQLError)) && !connection.isClosed
                if reusable {
                    // The statement failed; the transaction is aborted and must end before reuse.
                    do { try await connection.statement("ROLLBACK", logger) } catch { reusable = false }
                }
                await connector.release(connection, reusable: reusable)
                let state = PostgresErrorText.sqlState(error)
                if state == "25006" { await connector.dropIdle() }  // the host turned read-only
                if let state, Self.retried.contains(state), attempt < 8 {
                    try await Task.sleep(for: .milliseconds(Int.random(in: 5...(20 * attempt))))
                    continue
                }
                throw Self.wrap(error)
            }
        }
    }

    /// SQLSTATEs after which the whole transaction is tried again: serialization failure,
    /// deadlock, lock time-out.
    private static let retried: Set<String> = ["40001", "40P01", "55P03"]

    private func run<T: Sendable>(
        readOnly: Bool, on connection: PostgresConnection, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        let begin: PostgresQuery =
            readOnly ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN ISOLATION LEVEL READ COMMITTED"
        do {
            try await connection.statement(begin, logger)
        } catch  where !PostgresErrorText.isServerError(error) {
            throw StaleConnection()
        }
        let result = try await body(connection)
        do {
            try await connection.statement("COMMIT", logger)
        } catch let error as PostgresConnectionEnded {
            throw error  // not sent: nothing was committed
        } catch  where !PostgresErrorText.isServerError(error) && !readOnly {
            throw PostgresCommitUnknown(reason: PostgresErrorText.describe(error))
        }
        return result
    }

    /// A postgres-nio error as one the agent prints: the server's message, never the statement's values.
    static func wrap(_ error: any Error) -> any Error {
        if error is PostgresConnectionEnded {
            return PostgresUnavailable(reason: "the server ended the connection")
        }
        if error is PSQLError {
            if PostgresErrorText.isServerError(error) {
                return PostgresStatementError(
                    description: PostgresErrorText.describe(error), sqlState: PostgresErrorText.sqlState(error))
            }
            return PostgresUnavailable(reason: PostgresErrorText.describe(error))
        }
        return error
    }
}

/// A kept connection that failed on BEGIN, before the transaction did anything.
struct StaleConnection: Error {}

/// A statement not sent because the server had already ended the connection.
struct PostgresConnectionEnded: Error {}

extension PostgresConnection {
    /// postgres-nio's `query`, refused at once on a connection already closed. postgres-nio
    /// hands a query to the channel without a promise for the write; on a channel the server
    /// closed, whose handlers are gone, the write fails unseen and the caller waits for ever
    /// (vapor/postgres-nio#497). A process paused inside a transaction meets exactly this when
    /// it wakes: the server ended the transaction it left idle.
    @discardableResult
    func statement(_ query: PostgresQuery, _ logger: Logger) async throws -> PostgresRowSequence {
        guard !isClosed else { throw PostgresConnectionEnded() }
        return try await self.query(query, logger: logger)
    }

    /// Every row of a query.
    func rows(_ query: PostgresQuery, _ logger: Logger) async throws -> [PostgresRandomAccessRow] {
        try await statement(query, logger).collect().map { $0.makeRandomAccess() }
    }

    /// The rows of a query as records, by column name.
    func fetch<T: Decodable>(_ type: T.Type, _ query: PostgresQuery, _ logger: Logger) async throws -> [T] {
        try await rows(query, logger).map { try PostgresRowDecoder.decode(type, from: $0) }
    }

    /// The first column of the first row, nil when there is no row or it is NULL.
    func value<T: PostgresDecodable>(_ type: T.Type, _ query: PostgresQuery, _ logger: Logger) async throws -> T? {
        guard let row = try await statement(query, logger).collect().first else { return nil }
        let cell = row.makeRandomAccess()[0]
        return cell.bytes == nil ? nil : try cell.decode(T.self)
    }

    /// The first column of every row.
    func values<T: PostgresDecodable>(_ type: T.Type, _ query: PostgresQuery, _ logger: Logger) async throws -> [T] {
        try await statement(query, logger).collect().map { try $0.makeRandomAccess()[0].decode(T.self) }
    }

    /// Runs a statement; returns how many rows it returned (use `RETURNING 1` to count changes).
    @discardableResult
    func run(_ query: PostgresQuery, _ logger: Logger) async throws -> Int {
        try await statement(query, logger).collect().count
    }
}
