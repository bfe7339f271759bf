import AgentStore
import AgentStoreSQLite
import AgentTesting
import FlxpointAPI
import FlxpointSandbox
import Foundation
import FulfillmentCore
import Logging
import Testing

@testable import SourceAgent

/// The cycle's steps one at a time, on the in-process twins: the sandbox without sockets and
/// SQLite in memory.
@Suite("Cycle steps")
struct CycleStepTests {
    static let now = Harness.now

    /// A store, a client of an in-process sandbox holding `frs`, and the sandbox.
    static func twins(_ frs: [FulfillmentRequest], malformed: [Int: JSONValue] = [:]) throws -> (
        store: AgentDatabase, api: FlxpointClient, sandbox: InProcessSandbox
    ) {
        let sandbox = InProcessSandbox(
            configuration: Harness.sandboxConfiguration { _ in }, state: SandboxState(frs: frs, malformed: malformed))
        let api = Harness.client(sandbox, attempts: 3, baseDelay: .milliseconds(1))
        return (try AgentDatabase.inMemory(), api, sandbox)
    }

    static func reader(_ store: AgentDatabase, _ api: FlxpointClient, pageSize: Int, maxPages: Int = 500) -> FRReader {
        FRReader(
            database: store, api: api,
            settings: AgentSettings(rulesPath: "", pauseFile: "", pageSize: pageSize, maxPagesPerCycle: maxPages),
            alerts: .off, logger: Logger(label: "test"), metrics: AgentMetrics())
    }

    @Test("reading: every open FR once over several pages, the malformed quarantined once, all recorded")
    func reading() async throws {
        // The sandbox serves a malformed FR in place of one it holds.
        let frs = Harness.frs(5)
        let broken = frs[4].id
        let (store, api, _) = try Self.twins(
            frs,
            malformed: [
                broken: .object([
                    "id": .number(Double(broken)),
                    "fulfillmentRequestItems": .array([.object(["id": .number(1), "quantity": .number(-4)])]),
                ])
            ])
        let reader = Self.reader(store, api, pageSize: 2)
        var report = CycleReport()
        let reading = try await reader.read(&report, at: Self.now, shouldStop: { false })
        #expect(reading.complete && Set(reading.frs.map(\.id)) == Set(frs.dropLast().map(\.id)))
        #expect(report.fetched == 5 && report.quarantined == 1)
        #expect(try await store.storedFRTexts(ids: frs.map(\.id)).count == 4)
        #expect(try await store.quarantined().map(\.frId) == [broken])
        var again = CycleReport()
        _ = try await reader.read(&again, at: Self.now, shouldStop: { false })
        #expect(again.quarantined == 0)  // reported once, not every cycle
    }

    @Test("reading stops at the page bound and says the listing is incomplete")
    func pageBound() async throws {
        let (store, api, _) = try Self.twins(Harness.frs(7))
        var report = CycleReport()
        let reading = try await Self.reader(store, api, pageSize: 2, maxPages: 2).read(
            &report, at: Self.now, shouldStop: { false })
        #expect(!reading.complete && reading.frs.count == 4)
    }

    @Test("stale answers: an unsent answer whose FR changed or closed upstream is withdrawn; others stay")
    func staleAnswers() async throws {
        let frs = Harness.frs(3)
        let (store, _, _) = try Self.twins(frs)
        try await store.replaceStock(
            Set(frs.flatMap { $0.items.compactMap(\.sku) }).map { StockLevel(sku: $0, location: "dallas", onHand: 50) },
            source: "s.csv", at: Self.now)
        for fr in frs {
            try await store.recordSeen([(fr, "{}")], at: Self.now)
            try await store.recordDecision(
                FRDecision(
                    frId: fr.id, frNumber: fr.number, decision: .acknowledge, rule: "r", reason: nil, remainder: nil,
                    note: nil, lines: [], trace: DecisionTrace(),
                    facts: Facts(
                        now: Self.now, lines: [],
                        address: AddressFacts(
                            country: "US", state: "TX", postal: "78701", city: "Austin", problems: [], poBox: false,
                            military: false, domestic: true),
                        stock: StockFacts(
                            coversAll: true, coversAny: true, fillRate: 1, missingUnits: 0, locationsNeeded: 1),
                        ship: ShipFacts(earliest: Self.now, meetsShipBy: true, daysLate: 0)),
                    stockPlan: StockPlan(
                        lines: [],
                        facts: StockFacts(
                            coversAll: true, coversAny: true, fillRate: 1, missingUnits: 0, locationsNeeded: 1)),
                    reservations: [StockReservation(sku: fr.items[0].sku ?? "", location: "dallas", quantity: 1)],
                    ruleFileSHA256: String(repeating: "a", count: 64)),
                cycleId: nil, outbox: OutboxDraft(kind: .acknowledge, bodyJSON: nil),
                input: DecisionInput(frFingerprint: fr.answerFingerprint), at: Self.now)
        }
        var changed = frs[1]
        changed.items[0].quantity += 5
        var voided = frs[2]
        voided.voidedAt = Self.now
        let step = StaleAnswers(database: store, logger: Logger(label: "test"), clock: { Self.now })
        var report = CycleReport()
        try await step.withdraw(among: [SeenFR(frs[0]), SeenFR(changed), SeenFR(voided)], report: &report)
        #expect(report.withdrawn == 2)
        #expect(try await store.pendingAnswerFRIds() == [frs[0].id])
        #expect(try await store.reservations(state: .held).map(\.frId) == [frs[0].id])
    }
}
