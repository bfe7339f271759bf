import AgentStore
import AgentStorePostgres
import AgentStoreSQLite
import AgentTesting
import Foundation
import Testing

/// Every engine behind the store interface: each contract test runs once per engine, so a new
/// engine joins the suite by adding a case.
enum StoreEngine: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqliteFile = "SQLite file"
    case sqliteMemory = "SQLite in memory"
    case postgres = "PostgreSQL"

    var testDescription: String { rawValue }

    /// The engines this machine can run: PostgreSQL when it is installed (or required, when a
    /// missing one fails the tests; see `PostgresCluster.shared`).
    static let available: [StoreEngine] = {
        // Asked without starting the cluster: the list is made while tests are planned, when a
        // cluster starting up would load the machine under the tests that time themselves.
        let postgres =
            PostgresCluster.binaryFolder() != nil
            || ProcessInfo.processInfo.environment["SOURCE_AGENT_REQUIRE_POSTGRES"] == "1"
        return allCases.filter { $0 != .postgres || postgres }
    }()

    /// Runs `body` against a fresh, empty store of this engine, then checks the store is sound.
    func withStore(_ body: (any SourceStore) async throws -> Void) async throws {
        switch self {
        case .sqliteMemory:
            let store = try AgentDatabase.inMemory()
            try await body(store)
            #expect(try await store.integrityProblems() == [])
        case .sqliteFile:
            let scratch = ScratchDatabase("store")
            defer { scratch.remove() }
            let path = scratch.path
            let store = try AgentDatabase.open(path: path)
            try await body(store)
            #expect(try await store.integrityProblems() == [])
            // Reopens and migrates idempotently.
            #expect(try await AgentDatabase.open(path: path).integrityProblems() == [])
        case .postgres:
            try await ScratchPostgres.withDatabase { database in
                let store = try await PostgresStore.open(database)
                try await body(store)
                #expect(try await store.integrityProblems() == [])
                // Migrating again finds nothing to do.
                #expect(try await PostgresStore.migrate(database) == [])
            }
        }
    }
}

/// A database of its own on the test process's shared PostgreSQL cluster, dropped afterwards:
/// already migrated (a copy of the cluster's template), or `migrated: false` empty, for a test
/// of migrating.
enum ScratchPostgres {
    static func withDatabase(migrated: Bool = true, _ body: (PostgresDatabase) async throws -> Void) async throws {
        guard let cluster = try await PostgresCluster.shared() else {
            try Test.cancel(Comment(rawValue: PostgresCluster.skipReason))
        }
        let url = try await migrated ? cluster.makeMigratedDatabase("store") : cluster.makeDatabase("store")
        defer { cluster.dropDatabase(url: url) }
        let database = PostgresDatabase(
            settings: PostgresSettings(url: try PostgresURL(url), password: cluster.password, applicationName: "tests"))
        do {
            try await body(database)
        } catch {
            await database.close()
            throw error
        }
        await database.close()
    }
}
