import AgentStore
import AgentStorePostgres
import AgentStoreSQLite
import Foundation
import Logging
import SourceAgent

/// Where the store lives, as the `db` setting names it, read once: a SQLite file beside the
/// agent (one process, a lock file), or a `postgres://` URL several agent machines share.
/// Everything that differs between the two asks this value, not the setting's text.
enum StoreLocation: Sendable, Equatable {
    case file(path: String)
    case shared(url: String)

    init(_ db: String) {
        self = PostgresURL.isPostgres(db) ? .shared(url: db) : .file(path: db)
    }

    /// Whether several machines share the store (leases, fencing, the budget in the database).
    var isShared: Bool {
        if case .shared = self { return true }
        return false
    }

    /// The SQLite file's path; nil for the shared store.
    var filePath: String? {
        if case .file(let path) = self { return path }
        return nil
    }

    /// Opens the store. A SQLite file is created when missing and `create`; a PostgreSQL
    /// database is migrated when `create` (under the migration lock), else must be current.
    ///
    /// `idleInTransaction`: for an agent holding leases, its lease's TTL. A process frozen in
    /// the middle of a transaction (`SIGSTOP`, a paused VM) holds its source's lock until the
    /// server ends the transaction; with the TTL the lock is gone about when the lease has
    /// expired, so the new holder's first write does not wait behind it.
    func open(
        passwordFile: String?, create: Bool, idleInTransaction: Duration? = nil, logger: Logger
    ) async throws -> OpenedStore {
        switch self {
        case .file(let path): return .file(try AgentDatabase.open(path: path))
        case .shared(let url):
            let database = try Self.postgres(
                url, passwordFile: passwordFile, idleInTransaction: idleInTransaction, logger: logger)
            return .shared(
                create ? try await PostgresStore.open(database) : try await PostgresStore.openExisting(database))
        }
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
    var pauseFile: String {
        switch self {
        case .file(let path): AgentSettings.pauseFile(besideDatabase: path)
        case .shared: "PAUSE"
        }
    }

    /// The file a token's request budget is shared through with the other processes on this
    /// machine using the same SQLite file; nil for the shared store.
    func rateSlotFile(source: String) -> String? {
        guard case .file(let path) = self else { return nil }
        return path + (source == StoreDefaults.source ? "" : ".\(source)") + ".rate"
    }
}

/// A store as opened, its engine known: what only one engine has (the shared store's leases
/// and request budget) is reached through the case, never a downcast.
public enum OpenedStore: Sendable {
    case file(AgentDatabase)
    case shared(PostgresStore)

    /// The store behind the interface every part of the agent uses.
    public var store: any SourceStore {
        switch self {
        case .file(let database): database
        case .shared(let store): store
        }
    }
}
