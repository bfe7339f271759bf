import AgentStore
import Foundation
import FulfillmentCore
import Logging
import PostgresNIO

/// The store interface on PostgreSQL, for several agent processes on several machines sharing
/// one store. A value is scoped to one source, as `AgentDatabase` is; `scoped(to:)` gives
/// another source's view over the same connections.
///
/// SQLite runs one writer at a time, and the SQLite engine's check-then-write steps rely on
/// that. Here every write takes a transaction-scoped lock on its source (and, where stock is
/// promised or replaced, first on its pool), so the same steps stay atomic across processes;
/// the schema's unique indexes are the backstop.
public struct PostgresStore: SourceStore {
    let database: PostgresDatabase
    public let source: String
    public let pool: String
    /// The leases of the `run` process this view belongs to: every write for the source checks
    /// it still holds the lease with that epoch. Nil for commands a person runs.
    let book: LeaseBook?

    var logger: Logger { database.logger }

    /// Connects, migrates (under the migration lock), checks the schema is whole and returns
    /// the default source's view.
    public static func open(_ database: PostgresDatabase) async throws -> PostgresStore {
        try await PostgresMigrations.migrate(database)
        try await checkSchema(database)
        return PostgresStore(database: database, source: StoreDefaults.source, pool: StoreDefaults.pool)
    }

    /// The tables only this engine has (leases, processes, the rate budget, the backstop's
    /// totals, its migrations).
    public static let ownTables: Set<String> = [
        "agent_process", "lease", "rate_slot", "shelf_held", "schema_migration",
    ]
    /// Columns only this engine's tables have: the lease epoch an answer's send was tried
    /// under (fencing), and the ship-by day the backstop's totals index.
    public static let ownColumns: [String: Set<String>] = ["outbox": ["attempt_epoch"], "fr": ["ship_by_day"]]

    /// Throws `SchemaProblem` when a table the agent needs is missing or lacks a
    /// column the SQLite engine's table has (the two schemas are the same, table for table).
    static func checkSchema(_ database: PostgresDatabase) async throws {
        let problems = StoreSchema.problems(in: try await columns(database), engineTables: ownTables)
        if !problems.isEmpty {
            throw SchemaProblem(
                path: database.settings.url.description, problems: problems, needsMigrate: false)
        }
    }

    /// Each table of the database's schema and its columns.
    public static func columns(_ database: PostgresDatabase) async throws -> [String: Set<String>] {
        let rows = try await database.read { connection in
            try await connection.rows(
                """
                SELECT table_name::text AS t, column_name::text AS c FROM information_schema.columns
                WHERE table_schema = current_schema()
                """, database.logger)
        }
        var actual: [String: Set<String>] = [:]
        for row in rows {
            actual[try row["t"].decode(String.self), default: []].insert(try row["c"].decode(String.self))
        }
        return actual
    }

    /// The default source's view of a database `migrate` made current; a database without the
    /// agent's tables, or with older ones, is refused with what to run. For commands that read
    /// what `run` recorded: they never create tables.
    public static func openExisting(_ database: PostgresDatabase) async throws -> PostgresStore {
        let version = try await database.read { connection in
            guard
                try await connection.value(
                    Bool.self, "SELECT to_regclass('schema_migration') IS NOT NULL", database.logger)
                    == true
            else { return 0 }
            return try await connection.value(Int.self, "SELECT max(version) FROM schema_migration", database.logger)
                ?? 0
        }
        guard version == PostgresMigrations.all.count else {
            throw PostgresStatementError(
                description: version == 0
                    ? "the database has no source-agent tables: run 'source-agent migrate' (or 'source-agent run') first"
                    : "the database's schema is version \(version), this build needs \(PostgresMigrations.all.count): "
                        + "run 'source-agent migrate'", sqlState: nil)
        }
        try await checkSchema(database)
        return PostgresStore(database: database, source: StoreDefaults.source, pool: StoreDefaults.pool)
    }

    /// The same store, fenced by `book`: a write for a source whose lease this process does
    /// not hold (or no longer trusts) changes nothing and throws `LeaseLost`.
    public func fenced(by book: LeaseBook) -> PostgresStore {
        PostgresStore(database: database, source: source, pool: pool, book: book)
    }

    /// The leases kept in this database.
    public var leases: PostgresLeases { PostgresLeases(database: database) }

    /// Applies the migrations not yet applied and checks the schema is whole; returns the
    /// versions applied.
    public static func migrate(_ database: PostgresDatabase) async throws -> [Int] {
        let applied = try await PostgresMigrations.migrate(database)
        try await checkSchema(database)
        return applied
    }

    init(database: PostgresDatabase, source: String, pool: String, book: LeaseBook? = nil) {
        self.database = database
        self.source = source
        self.pool = pool
        self.book = book
    }

    public func scoped(to source: String, pool: String) async throws -> PostgresStore {
        try await database.write { connection in
            try await connection.run(
                """
                INSERT INTO source (name, pool) VALUES (\(source), \(pool))
                ON CONFLICT (name) DO UPDATE SET pool = excluded.pool
                """, logger)
        }
        return PostgresStore(database: database, source: source, pool: pool, book: book)
    }

    public func scoped(to source: String) async throws -> PostgresStore {
        let pool = try await database.read { connection in
            try await connection.value(String.self, "SELECT pool FROM source WHERE name = \(source)", logger)
        }
        return PostgresStore(database: database, source: source, pool: pool ?? StoreDefaults.pool, book: book)
    }

    public func knownSources() async throws -> [(name: String, pool: String)] {
        try await database.read { connection in
            try await connection.rows("SELECT name, pool FROM source ORDER BY name", logger).map {
                (try $0["name"].decode(String.self), try $0["pool"].decode(String.self))
            }
        }.map { (name: $0.0, pool: $0.1) }
    }

    public func activeSources() async throws -> [String] {
        try await database.read { connection in
            try await connection.values(
                String.self,
                """
                SELECT name FROM source s
                WHERE EXISTS (SELECT 1 FROM cycle c WHERE c.source_name = s.name)
                   OR EXISTS (SELECT 1 FROM fr f WHERE f.source_name = s.name)
                ORDER BY name
                """, logger)
        }
    }

    /// PostgreSQL checks its constraints on every write; what is left to look for is a row
    /// that breaks a promise no constraint states: a live answer without its decision.
    public func integrityProblems() async throws -> [String] {
        try await database.read { connection in
            try await connection.values(
                String.self,
                """
                SELECT 'outbox row ' || o.id || ' answers a withdrawn or hold decision' FROM outbox o
                JOIN decision d ON d.id = o.decision_id
                WHERE o.state <> 'withdrawn' AND (d.withdrawn_at IS NOT NULL OR d.decision = 'hold')
                UNION ALL
                SELECT 'units held from the shelf of ' || coalesce(h.sku, r.sku) || ' at '
                       || coalesce(h.location, r.location) || ' for ' || coalesce(h.source_name, r.source_name)
                       || ': the running total says ' || coalesce(h.units, 0) || ', the reservations '
                       || coalesce(r.units, 0)
                FROM shelf_held h
                FULL JOIN (SELECT source_name, sku, location, sum(quantity) AS units FROM reservation
                           WHERE state = 'held' AND NOT backordered AND inbound_at IS NULL
                           GROUP BY source_name, sku, location) r
                  ON r.source_name = h.source_name AND r.sku = h.sku AND r.location = h.location
                WHERE coalesce(h.units, 0) <> coalesce(r.units, 0)
                """, logger)
        }
    }

    public func repairImpossibleTimes(at now: Date) async throws -> [String] {
        let latest = now.addingTimeInterval(AnswerTiming.latestPlausibleRetry)
        return try await database.write { connection in
            var repaired: [String] = []
            let statements: [(String, PostgresQuery)] = [
                ("outbox", "UPDATE outbox SET next_attempt_at = \(now) WHERE next_attempt_at > \(latest) RETURNING 1"),
                ("alert", "UPDATE alert SET next_attempt_at = \(now) WHERE next_attempt_at > \(latest) RETURNING 1"),
                // A lease is set by the database's clock at most `lease_ttl` (an hour at most) ahead.
                (
                    "lease",
                    "UPDATE lease SET expires_at = now() WHERE expires_at > now() + interval '1 hour' RETURNING 1"
                ),
                // A request slot is at most `RateLimiter.longestWait` (an hour) ahead.
                (
                    "rate_slot",
                    "UPDATE rate_slot SET next_at = now() WHERE next_at > now() + interval '1 hour' RETURNING 1"
                ),
            ]
            for (table, statement) in statements {
                let count = try await connection.run(statement, logger)
                if count > 0 {
                    repaired.append(
                        "table \(table): \(count) time(s) further ahead than the agent writes; reset to now")
                }
            }
            return repaired
        }
    }

    /// Takes the transaction-scoped lock on this store's source: writes for one source follow
    /// one another, whichever process makes them.
    /// When the view is fenced, also checks, in the same transaction, that this process still
    /// holds the source's lease with the epoch it was given: a stale holder's write changes nothing.
    func lockSource(_ connection: PostgresConnection) async throws {
        try await connection.run("SELECT pg_advisory_xact_lock(hashtextextended('source:' || \(source), 0))", logger)
        guard let book else { return }
        guard let epoch = book.epoch(of: source) else { throw LeaseLost(source: source) }
        let holds = try await connection.value(
            Bool.self,
            """
            SELECT EXISTS (SELECT 1 FROM lease WHERE source_name = \(source) AND holder = \(book.holder)
                           AND epoch = \(epoch) AND expires_at > now())
            """, logger)
        guard holds == true else { throw LeaseLost(source: source) }
        book.beat(source)
    }

    /// A statement written with `?` placeholders (one text for both engines) with PostgreSQL's
    /// `$1`, `$2`… in their place.
    static func numbered(_ sql: String) -> String {
        var out = ""
        var number = 0
        for character in sql {
            if character == "?" {
                number += 1
                out += "$\(number)"
            } else {
                out.append(character)
            }
        }
        return out
    }

    /// Bindings for a statement written with `$1`, `$2`… by hand.
    static func binds(_ values: any PostgresEncodable...) throws -> PostgresBindings {
        var binds = PostgresBindings()
        for value in values { try binds.append(value, context: .default) }
        return binds
    }

    /// Takes the transaction-scoped lock on a stock pool: no two processes promise or replace
    /// the pool's units at once. Always taken before a source's lock, so two writers never wait
    /// on each other in opposite orders.
    func lockPool(_ connection: PostgresConnection, _ pool: String) async throws {
        try await connection.run("SELECT lock_pool(\(pool))", logger)
    }

    /// A write for this source: in one transaction, under the source's lock.
    @discardableResult
    func writeForSource<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await database.write { connection in
            try await lockSource(connection)
            return try await body(connection)
        }
    }
}

extension String {
    /// PostgreSQL text cannot hold NUL; an FR carrying one (`\u0000` in its JSON) is stored
    /// with U+FFFD in its place rather than failing the page it came in.
    var storable: String {
        contains("\u{0}") ? replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") : self
    }
}
