// AgentStore: everything the agent keeps. `Interface/` says what the agent needs (one protocol per table); the
// `AgentDatabase+…` files are the SQLite engine (GRDB) behind it; `Records/` holds the rows.

import AgentStore
import Foundation
import FulfillmentCore
import GRDB

/// All SQL of the agent, over one GRDB writer: a WAL `DatabasePool` on disk, a
/// `DatabaseQueue` in memory for tests.
///
/// A value is scoped to one source (one Flxpoint account): every FR, decision, answer,
/// shipment and cycle it reads or writes is that source's, because FR ids are unique only
/// within an account. Stock belongs to the source's pool. `scoped(to:)` gives another
/// source's view of the same file.
public struct AgentDatabase: SourceStore {
    let writer: any DatabaseWriter
    /// The source every FR-keyed query is about.
    public let source: String
    /// The stock pool the source draws on.
    public let pool: String

    /// The source of a single-source setup, which an existing database migrates to.
    public static let defaultSource = StoreDefaults.source
    /// The pool a source draws on unless it names another.
    public static let defaultPool = StoreDefaults.pool

    /// Opens (creating if needed) the database at `path` and migrates it. A new file is made
    /// readable by its owner only (it holds customer names and addresses); SQLite gives the WAL
    /// and shared-memory files the same mode.
    public static func open(path: String) throws -> AgentDatabase {
        if !FileManager.default.fileExists(atPath: path) {
            let fd = Foundation.open(path, O_RDWR | O_CREAT | O_EXCL, 0o600)
            if fd >= 0 { close(fd) }
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        let pool = try DatabasePool(path: path, configuration: configuration)
        return try AgentDatabase(writer: pool)
    }

    /// A new, migrated database in memory: the same engine without a file, for tests and
    /// for the in-process twin of a cycle.
    public static func inMemory() throws -> AgentDatabase {
        try AgentDatabase(writer: DatabaseQueue())
    }

    init(writer: any DatabaseWriter) throws {
        self.writer = writer
        source = Self.defaultSource
        pool = Self.defaultPool
        // GRDB reads which migrations are applied before it takes the write lock, so two
        // processes opening a new file at once (the agent and a one-shot command) can both try
        // the same migration; the loser's transaction rolls back. Trying again then finds the
        // other's work done. A migration that is really broken still fails, after about a second.
        var attempt = 0
        while true {
            do {
                try Migrations.migrator.migrate(writer)
                // A table dropped or changed by hand is not something a migration repairs:
                // named now, not found out by a command that then does nothing.
                try writer.read { db in try Self.checkSchema(db, path: writer.path) }
                return
            } catch let error as DatabaseError where attempt < 20 && error.resultCode == .SQLITE_ERROR {
                attempt += 1
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
    }

    /// A database opened read-only (`openForReading`): never migrated, never written.
    init(reading queue: DatabaseQueue) throws {
        writer = queue
        source = Self.defaultSource
        pool = Self.defaultPool
    }

    private init(writer: any DatabaseWriter, source: String, pool: String) {
        self.writer = writer
        self.source = source
        self.pool = pool
    }

    /// The same file seen as `source`, drawing on `pool`. Records the source's pool, which is
    /// how the pool's ledger finds every reservation made against it.
    /// An answer's or alert's next try is at most an hour away (the longest back-off); a day
    /// ahead is impossible.
    public static let latestPlausibleRetry = AnswerTiming.latestPlausibleRetry

    public func repairImpossibleTimes(at now: Date) async throws -> [String] {
        try await writer.write { db in
            var repaired: [String] = []
            for table in ["outbox", "alert"] {
                try db.execute(
                    sql: "UPDATE \(table) SET next_attempt_at = ? WHERE next_attempt_at > ?",
                    arguments: [now, now.addingTimeInterval(Self.latestPlausibleRetry)])
                if db.changesCount > 0 {
                    repaired.append(
                        "table \(table): \(db.changesCount) next try more than a day ahead, not a time the agent "
                            + "writes; reset to now")
                }
            }
            return repaired
        }
    }

    public func scoped(to source: String, pool: String) async throws -> AgentDatabase {
        try await writer.write { db in
            try db.execute(
                sql:
                    "INSERT INTO source (name, pool) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET pool = excluded.pool",
                arguments: [source, pool])
        }
        return AgentDatabase(writer: writer, source: source, pool: pool)
    }

    /// The same file seen as `source`, with the pool it was last given (or the default): for
    /// commands that read one source's records.
    public func scoped(to source: String) async throws -> AgentDatabase {
        let pool = try await writer.read { db in
            try String.fetchOne(db, sql: "SELECT pool FROM source WHERE name = ?", arguments: [source])
        }
        return AgentDatabase(writer: writer, source: source, pool: pool ?? Self.defaultPool)
    }

    /// Every source the file knows, with its pool.
    public func knownSources() async throws -> [(name: String, pool: String)] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT name, pool FROM source ORDER BY name").map { ($0["name"], $0["pool"]) }
        }
    }

    /// `PRAGMA integrity_check` and foreign key check; empty when the file is sound.
    public func integrityProblems() async throws -> [String] {
        try await writer.read { db in
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
            let foreignKeys = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").map { "foreign key: \($0)" }
            return integrity + foreignKeys
        }
    }

    static func json<T: Encodable>(_ value: T) -> String {
        (try? String(decoding: StableJSON.encoder().encode(value), as: UTF8.self)) ?? "null"
    }

    /// Reads one of the JSON columns (see `StoredJSON`).
    public static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try StoredJSON.decode(type, text)
    }
}

extension AgentDatabase {
    /// The sources that have polled or been polled into this file, by name.
    public func activeSources() async throws -> [String] {
        try await writer.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT name FROM source s
                    WHERE EXISTS (SELECT 1 FROM cycle c WHERE c.source_name = s.name)
                       OR EXISTS (SELECT 1 FROM fr f WHERE f.source_name = s.name)
                    ORDER BY name
                    """)
        }
    }
}
