import AgentStore
import Foundation
import Testing

/// Every engine behind the store interface: each contract test runs once per engine, so a new
/// engine (PostgreSQL) joins the suite by adding a case.
enum StoreEngine: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqliteFile = "SQLite file"
    case sqliteMemory = "SQLite in memory"

    var testDescription: String { rawValue }

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
        }
    }
}
