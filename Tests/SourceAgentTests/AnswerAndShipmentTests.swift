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

/// The outbox sender and the tracking import one at a time, in-process: the sandbox without
/// sockets, SQLite in memory, the answers decided by hand.
@Suite("Sending answers and shipments")
struct AnswerAndShipmentTests {
    static let now = Harness.now

    /// Records an acknowledge of every line of `fr`, with its answer queued and its units held.
    static func acknowledge(_ fr: FulfillmentRequest, in store: AgentDatabase) async throws {
        // As Flxpoint sends it: the tracking import reads the FR back from what was recorded.
        try await store.recordSeen([(fr, String(decoding: try JSONEncoder().encode(fr), as: UTF8.self))], at: now)
        let facts = StockFacts(coversAll: true, coversAny: true, fillRate: 1, missingUnits: 0, locationsNeeded: 1)
        let lines = fr.items.map {
            LineAnswer(itemId: $0.id, sku: $0.sku, quantity: $0.quantity, acknowledged: $0.quantity, cancelled: 0)
        }
        try await store.recordDecision(
            FRDecision(
                frId: fr.id, frNumber: fr.number, decision: .acknowledge, rule: "in-stock", reason: nil, remainder: nil,
                note: nil, lines: lines, trace: DecisionTrace(),
                facts: Facts(
                    now: now, lines: [],
                    address: AddressFacts(
                        country: "US", state: "TX", postal: "78701", city: "Austin", problems: [], poBox: false,
                        military: false, domestic: true),
                    stock: facts, ship: ShipFacts(earliest: now, meetsShipBy: true, daysLate: 0)),
                stockPlan: StockPlan(lines: [], facts: facts),
                reservations: fr.items.map {
                    StockReservation(sku: $0.sku ?? "", location: "dallas", quantity: $0.quantity)
                },
                ruleFileSHA256: String(repeating: "a", count: 64)),
            cycleId: nil, outbox: OutboxDraft(kind: .acknowledge, bodyJSON: nil),
            input: DecisionInput(frFingerprint: fr.answerFingerprint), at: now)
    }

    /// A store holding stock for `frs`, each acknowledged, and a client of a sandbox holding them.
    static func acknowledged(_ frs: [FulfillmentRequest]) async throws -> (
        store: AgentDatabase, api: FlxpointClient, sandbox: InProcessSandbox
    ) {
        let (store, api, sandbox) = try CycleStepTests.twins(frs)
        try await store.replaceStock(
            Set(frs.flatMap { $0.items.compactMap(\.sku) }).map { StockLevel(sku: $0, location: "dallas", onHand: 50) },
            source: "s.csv", at: now)
        for fr in frs { try await acknowledge(fr, in: store) }
        return (store, api, sandbox)
    }

    static func sender(_ store: AgentDatabase, _ api: FlxpointClient) -> OutboxSender {
        OutboxSender(database: store, api: api, logger: Logger(label: "test"), clock: { now })
    }

    @Test("each queued answer is sent once; a second pass finds nothing to send")
    func sendsOnce() async throws {
        let frs = Harness.frs(3)
        let (store, api, sandbox) = try await Self.acknowledged(frs)
        let report = try await Self.sender(store, api).sendPending()
        #expect(report.sent == 3 && report.failed == 0 && report.deferred == 0, "\(report)")
        let stats = await sandbox.state.stats()
        #expect(stats.acknowledged.count == 3 && stats.duplicates == 0)
        #expect(try await Self.sender(store, api).sendPending() == OutboxSender.Report())
        #expect(try await store.pendingAnswerFRIds().isEmpty)
        #expect(await sandbox.state.stats().acknowledged == stats.acknowledged)
    }

    @Test("Flxpoint failing every write: the answers wait, none lost or doubled; sent once it recovers")
    func waitsOutAnOutage() async throws {
        let frs = Harness.frs(2)
        let (store, api, sandbox) = try await Self.acknowledged(frs)
        let down = #"{"fail_rate": 1, "scope": "writes"}"#
        #expect(await sandbox.control("PUT", "faults", body: Data(down.utf8)).status == 200)
        let failing = try await Self.sender(store, api).sendPending()
        #expect(failing.sent == 0 && failing.failed == 0 && failing.deferred > 0)
        #expect(try await store.pendingAnswerFRIds() == Set(frs.map(\.id)))
        #expect(await sandbox.control("PUT", "faults", body: Data(#"{"fail_rate": 0}"#.utf8)).status == 200)
        // The retry waits out its back-off: a later pass, by the sender's clock, sends both.
        let later = OutboxSender(
            database: store, api: api, logger: Logger(label: "test"), clock: { Self.now.addingTimeInterval(3600) })
        let recovered = try await later.sendPending()
        #expect(recovered.sent == 2, "\(recovered)")
        #expect(await sandbox.state.stats().duplicates == 0)
    }

    @Test("a tracking file: each shipment recorded and sent once, a repeat already sent, a bad row named by line")
    func trackingImport() async throws {
        let frs = Harness.frs(2)
        let (store, api, sandbox) = try await Self.acknowledged(frs)
        let sent = try await Self.sender(store, api).sendPending()
        #expect(sent.sent == 2, "\(sent)")
        let tracking = TrackingImport(
            database: store, api: api, logger: Logger(label: "test"), clock: { AnswerAndShipmentTests.now })
        let rows = frs.map { fr in
            "\(fr.id),\(fr.items[0].sku ?? ""),\(fr.items[0].quantity),1Z\(fr.id),UPS,Ground,2026-11-27T20:00:00Z"
        }
        let file = (["fr,sku,quantity,tracking_number,carrier,method,shipped_at"] + rows + ["999999,X,1,1ZX,UPS,,"])
            .joined(separator: "\n")
        let first = try await tracking.importFile(file, path: "t.csv")
        #expect(first.sent == 2 && first.rejected == 1, "\(first)")
        #expect(first.problems.count == 1 && first.problems[0].hasPrefix("t.csv:4:"))
        for fr in frs { #expect(await sandbox.state.shipments(frId: fr.id).count == 1) }
        let again = try await tracking.importFile(file, path: "t.csv")
        #expect(again.sent == 0 && again.alreadySent == 2)
        for fr in frs { #expect(await sandbox.state.shipments(frId: fr.id).count == 1) }
        #expect(try await store.reservations(state: .shipped).count == frs.map(\.items.count).reduce(0, +))
    }
}
