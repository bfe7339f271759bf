import AgentStore
import AgentStorePostgres
import AgentStoreSQLite
import Foundation
import Logging
import SourceAgent

/// Where the store lives, as the `db` setting names it: a SQLite file beside the agent (one
/// process, a lock file), or a `postgres://` URL several agent machines share.
enum StoreLocation {
    /// Whether `db` names the shared PostgreSQL store.
    static func isShared(_ db: String) -> Bool { PostgresURL.isPostgres(db) }

    /// Opens the store. A SQLite file is created when missing and `create`; a PostgreSQL
    /// database is migrated when `create` (under the migration lock), else must be current.
    ///
    /// `idleInTransaction`: for an agent holding leases, its lease's TTL. A process frozen in
    /// the middle of a transaction (`SIGSTOP`, a paused VM) holds its source's lock until the
    /// server ends the transaction; with the TTL the lock is gone about when the lease has
    /// expired, so the new holder's first write does not wait behind it.
    static func open(
        _ db: String, passwordFile: String?, create: Bool, idleInTransaction: Duration? = nil, logger: Logger
    ) async throws -> any SourceStore {
        guard isShared(db) else { return try AgentDatabase.open(path: db) }
        let database = try postgres(
            db, passwordFile: passwordFile, idleInTransaction: idleInTransaction, logger: logger)
        return create ? try await PostgresStore.open(database) : try await PostgresStore.openExisting(database)
    }

    /// The connection settings for a `postgres://` URL: the password from `passwordFile`,
    /// else `PGPASSWORD`; the process named on the server by host and pid.
    static func postgres(
        _ url: String, passwordFile: String?, idleInTransaction: Duration? = nil, logger: Logger
    ) throws -> PostgresDatabase {
        let password = try PostgresSettings.password(
            file: passwordFile, environment: ProcessInfo.processInfo.environment)
        var settings = PostgresSettings(
            url: try PostgresURL(url), password: password, applicationName: applicationName)
        if let idleInTransaction {
            settings.idleInTransactionTimeout = min(settings.idleInTransactionTimeout, idleInTransaction)
        }
        return PostgresDatabase(settings: settings, logger: logger)
    }

    /// `source-agent <host> <pid>`: what `pg_stat_activity` shows for this process's connections.
    static var applicationName: String {
        String("source-agent \(ProcessInfo.processInfo.hostName) \(getpid())".prefix(63))
    }

    /// `PAUSE` beside a SQLite file; with the shared store, in the working folder (it pauses
    /// the agents started there: docs/high-availability.md, "Limits").
    static func pauseFile(db: String) -> String {
        isShared(db) ? "PAUSE" : AgentSettings.pauseFile(besideDatabase: db)
    }

    /// The file a token's request budget is shared through with the other processes on this
    /// machine using the same SQLite file; nil for the shared store.
    static func rateSlotFile(db: String, source: String) -> String? {
        if isShared(db) { return nil }
        return db + (source == AgentDatabase.defaultSource ? "" : ".\(source)") + ".rate"
    }
}
