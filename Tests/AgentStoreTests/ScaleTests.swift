import Foundation
import FulfillmentCore
import Testing

@testable import AgentStore
@testable import AgentStoreSQLite

@Suite("AgentDatabase at scale")
struct ScaleTests {
    @Test("40,000 open FRs: no query runs out of SQL variables (SQLite allows 32,766)")
    func fortyThousandOpenFRs() async throws {
        let scratch = ScratchDatabase("scale")
        defer { scratch.remove() }
        let path = scratch.path
        let db = try AgentDatabase.open(path: path)
        let frs = (1...40_000).map { AgentDatabaseTests.fr($0) }
        try await db.recordSeen(frs.map { ($0, "{}") }, at: AgentDatabaseTests.now)
        let draft = OutboxDraft(kind: .adjust, bodyJSON: "{}")
        for fr in frs.suffix(3) {
            try await db.recordDecision(
                AgentDatabaseTests.decision(fr, .acknowledge), cycleId: nil, outbox: draft,
                input: DecisionInput(frFingerprint: fr.answerFingerprint), at: AgentDatabaseTests.now)
        }
        try await db.recordDecision(
            AgentDatabaseTests.decision(frs[0], .hold), cycleId: nil, outbox: nil,
            at: AgentDatabaseTests.now)
        let ids = frs.map(\.id)
        #expect(try await db.answeredFRIds(among: ids) == [39_998, 39_999, 40_000])
        #expect(try await db.latestDecisions(for: ids).count == 4)
        #expect(try await db.firstHeld(among: ids) == [1: AgentDatabaseTests.now])
        #expect(try await db.pendingAnswers(among: ids).count == 3)
        #expect(try await db.frNumbers(ids).count == 40_000)
    }
}

@Suite("AgentDatabase files")
struct DatabaseFileTests {
    @Test("a new database, its WAL and shared-memory files are readable by their owner only")
    func privateFiles() async throws {
        let scratch = ScratchDatabase("mode")
        defer { scratch.remove() }
        let path = scratch.path
        let old = umask(0o022)  // a typical shell umask: files would be 0644
        defer { umask(old) }
        let db = try AgentDatabase.open(path: path)
        try await db.replaceStock([StockLevel(sku: "A", location: "x", onHand: 1)], source: "t", at: Date())
        for suffix in ScratchDatabase.suffixes where FileManager.default.fileExists(atPath: path + suffix) {
            let mode = try FileManager.default.attributesOfItem(atPath: path + suffix)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(suffix.isEmpty ? "database" : suffix) is \(String(mode ?? 0, radix: 8))")
        }
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
    }
}

@Suite("Stored values")
struct StoredValueTests {
    @Test("a decision kind the code does not know is an error when read, never a silent hold")
    func unknownDecisionKind() async throws {
        let db = try AgentDatabase.inMemory()
        let fr = AgentDatabaseTests.fr(1)
        try await db.recordSeen([(fr, "{}")], at: AgentDatabaseTests.now)
        try await db.recordDecision(
            AgentDatabaseTests.decision(fr, .acknowledge), cycleId: nil, outbox: nil, at: AgentDatabaseTests.now)
        try await db.writer.write { db in
            try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
            try db.execute(sql: "UPDATE decision SET decision = 'ship_by_carrier_pigeon'")
        }
        await #expect(throws: (any Error).self) { try await db.decisions(forFR: "1") }
        await #expect(throws: UnknownStoredValue.self) { try await db.latestOutcomes(for: [1]) }
    }
}
