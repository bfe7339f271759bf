import AgentStore
import AgentStoreSQLite
import Foundation
import FulfillmentCore
import Testing

/// The rest of the store interface, table by table, run against every engine: what the agent
/// relies on of the outbox, holds, shipments, alerts, inventory, history and the pool.
@Suite("Store contract: outbox, holds, shipments, alerts, inventory, history, pools")
struct StoreContractTests {
    typealias Fixture = AgentDatabaseTests
    static let now = Fixture.now

    /// Records FR `id` as seen and decided `kind` with an answer of that kind (none for a hold).
    static func decide(_ db: any SourceStore, _ id: Int, _ kind: DecisionKind, reserve: Int = 0, at now: Date = now)
        async throws
    {
        let fr = Fixture.fr(id)
        try await db.recordSeen([(fr, #"{"id":\#(id)}"#)], at: now)
        let draft = kind == .hold ? nil : OutboxDraft(kind: kind == .cancel ? .adjust : .acknowledge, bodyJSON: nil)
        try await db.recordDecision(Fixture.decision(fr, kind, reserve: reserve), cycleId: nil, outbox: draft, at: now)
    }

    @Test(
        "due answers: cancels first, then oldest; done and withdrawn answers leave the queue",
        arguments: StoreEngine.available)
    func outboxOrder(_ engine: StoreEngine) async throws {
        try await engine.withStore { db in
            try await Fixture.stockShelf(db)
            try await Self.decide(db, 1, .acknowledge, reserve: 1)
            try await Self.decide(db, 2, .cancel)
            try await Self.decide(db, 3, .acknowledge, reserve: 1)
            #expect(try await db.dueOutbox(at: Self.now).map(\.record.frId) == [2, 1, 3])
            #expect(try await db.dueOutboxIds(at: Self.now, limit: 10, frIds: [3]).count == 1)
            let first = try #require(try await db.dueOutbox(at: Self.now).first?.record.id)
            try await db.markAttempts([first], at: Self.now)
            try await db.markDone([(id: first, outcome: "confirmed")], at: Self.now)
            #expect(try await db.withdrawPending(frId: 1, reason: "changed upstream", backToPerson: true, at: Self.now))
            #expect(try await !db.withdrawPending(frId: 1, reason: "again", backToPerson: true, at: Self.now))
            #expect(try await db.dueOutbox(at: Self.now).map(\.record.frId) == [3])
            #expect(try await db.pendingAnswerFRIds() == [3])
            #expect(try await db.answers(forFR: 1).map(\.state) == [.withdrawn])
            #expect(try await db.answeredFRIds(among: [1, 2, 3]) == [2, 3])
            #expect(try await db.reservations(state: .released).map(\.frId) == [1])
            // A send error backs the answer off until its retry time.
            let third = try #require(try await db.dueOutbox(at: Self.now).first?.record.id)
            try await db.recordSendError(
                third, error: "503", retryAt: Self.now.addingTimeInterval(60), at: Self.now)
            #expect(try await db.dueOutbox(at: Self.now).isEmpty)
            #expect(try await db.dueOutbox(at: Self.now.addingTimeInterval(61)).count == 1)
            #expect(try await db.pendingOutboxCount() == 1)
        }
    }

    @Test(
        "a failed answer is retried by FR number: withdrawn, and the FR may be decided again",
        arguments: StoreEngine.available)
    func retryFailed(_ engine: StoreEngine) async throws {
        try await engine.withStore { db in
            try await Fixture.stockShelf(db)
            try await Self.decide(db, 5, .acknowledge, reserve: 2)
            let id = try #require(try await db.dueOutbox(at: Self.now).first?.record.id)
            try await db.markFailed(id, reason: "refused", at: Self.now)
            #expect(try await db.answers(state: .failed, limit: 10).count == 1)
            #expect(try await db.retryFailed(["FR-5"], at: Self.now) == [5])
            #expect(try await db.answeredFRIds(among: [5]).isEmpty)
            #expect(try await db.frNumbers([5]) == ["FR-5"])
        }
    }

    @Test("holds: the longest held first, with when each was first held", arguments: StoreEngine.available)
    func holds(_ engine: StoreEngine) async throws {
        try await engine.withStore { db in
            try await Self.decide(db, 7, .hold, at: Self.now)
            try await Self.decide(db, 6, .hold, at: Self.now.addingTimeInterval(-3600))
            let holds = try await db.openHolds()
            #expect(holds.map(\.frId) == [6, 7])
            #expect(try await db.openHoldsSince().count == 2)
            let standing = try #require(try await db.standing(of: "FR-7"))
            #expect(standing.fr.id == 7 && standing.answer == nil)
            #expect(try await db.latestOutcomes(for: [6, 7]).mapValues(\.decision) == [6: .hold, 7: .hold])
            #expect(try await db.manualDecisionsByPerson().isEmpty)
        }
    }

    @Test(
        "a shipment is recorded once per tracking number and ends the reservation it ships",
        arguments: StoreEngine.available)
    func shipments(_ engine: StoreEngine) async throws {
        try await engine.withStore { db in
            try await Fixture.stockShelf(db)
            try await Self.decide(db, 8, .acknowledge, reserve: 2)
            let fr = try #require(try await db.shippableFR("FR-8"))
            #expect(fr.held == ["A": 2])
            let shipment = ShipmentRecord(
                frId: 8, trackingNumber: "1Z1", carrier: "UPS", method: nil, shippedAt: Self.now, bodyJSON: "{}",
                units: 2, source: "ship.csv", at: Self.now)
            #expect(try await db.recordShipment(shipment, units: ["A": 2]).isNew)
            #expect(try await !db.recordShipment(shipment, units: ["A": 2]).isNew)
            #expect(try await db.shipment(frId: 8, trackingNumber: "1Z1") != nil)
            let pending = try #require(try await db.pendingShipments().first?.id)
            try await db.markShipmentAttempt(pending, at: Self.now)
            try await db.finishShipment(pending, state: .done, error: nil, at: Self.now)
            #expect(try await db.pendingShipments().isEmpty)
            #expect(try await db.shipments().map(\.attempts) == [1])
            #expect(try await db.heldUnits(frId: 8).isEmpty)
            #expect(try await db.sourcesKnowing(frKey: "FR-8") == [db.source])
        }
    }

    @Test(
        "console: the audit log pages newest first; rule versions by path; tracking files newest first",
        arguments: StoreEngine.available)
    func consoleRecords(_ engine: StoreEngine) async throws {
        try await engine.withStore { db in
            for index in 0..<5 {
                try await db.recordAudit(
                    AuditEntry(
                        at: Self.now.addingTimeInterval(Double(index)), actor: "ana", action: "decide",
                        sourceName: db.source, detail: "FR-\(index)"))
            }
            let newest = try await db.auditLog(beforeId: nil, limit: 2)
            #expect(newest.map(\.detail) == ["FR-4", "FR-3"])
            #expect(newest[0].at == Self.now.addingTimeInterval(4) && newest[0].sourceName == db.source)
            let older = try await db.auditLog(beforeId: newest[1].id, limit: 10)
            #expect(older.map(\.detail) == ["FR-2", "FR-1", "FR-0"])

            for name in ["a.csv", "b.csv"] {
                try await db.recordTrackingFile(
                    TrackingFileRecord(
                        name: name, origin: "upload", actor: "ana", at: Self.now, sent: 2, alreadySent: 1,
                        rejected: 1, waiting: 0, problems: "\(name):3: no FR 'FR-9'"))
            }
            let files = try await db.trackingFiles(limit: 10)
            #expect(files.map(\.name) == ["b.csv", "a.csv"])
            #expect(files[0].alreadySent == 1 && files[0].problems == "b.csv:3: no FR 'FR-9'")
        }
    }

    @Test("an alert without an FR is queued once per window; delivery is recorded", arguments: StoreEngine.available)
    func alerts(_ engine: StoreEngine) async throws {
        try await engine.withStore { db in
            #expect(try await db.queueAlert(event: "guard", frId: nil, payloadJSON: "{}", window: 600, at: Self.now))
            #expect(try await !db.queueAlert(event: "guard", frId: nil, payloadJSON: "{}", window: 600, at: Self.now))
            #expect(try await db.queueAlert(event: "hold", frId: 1, payloadJSON: "{}", window: 600, at: Self.now))
            #expect(try await !db.queueAlert(event: "hold", frId: 1, payloadJSON: "{}", window: 600, at: Self.now))
            let due = try await db.dueAlerts(at: Self.now, limit: 10)
            #expect(due.map(\.event) == ["guard", "hold"])
            try await db.finishAlert(due[0].id, sent: true, error: nil, retryAt: nil)
            try await db.finishAlert(due[1].id, sent: false, error: "503", retryAt: Self.now.addingTimeInterval(30))
            #expect(try await db.dueAlerts(at: Self.now, limit: 10).isEmpty)
            #expect(try await db.dueAlerts(at: Self.now.addingTimeInterval(31), limit: 10).map(\.event) == ["hold"])
        }
    }

    @Test(
        "inventory: variant ids and pushed figures are remembered; costs come from the snapshot",
        arguments: StoreEngine.available)
    func inventory(_ engine: StoreEngine) async throws {
        try await engine.withStore { db in
            try await db.cacheVariantIds(["A": 11, "B": 12], at: Self.now)
            #expect(try await db.variantIds(for: ["A", "C"]) == ["A": 11])
            try await db.recordPushed(["A": PushedFigure(quantity: 3, cost: 1.5)], at: Self.now)
            #expect(try await db.pushedFigures() == ["A": PushedFigure(quantity: 3, cost: 1.5)])
            try await db.replaceStock(
                [
                    StockLevel(sku: "A", location: "b", onHand: 1, cost: 2),
                    StockLevel(sku: "A", location: "a", onHand: 1),
                ],
                source: "s.csv", at: Self.now)
            #expect(try await db.stockCosts() == ["A": 2])
            #expect(try await db.stockLevels().count == 2)
        }
    }

    @Test("history pages by id in the time window; report counts FRs received", arguments: StoreEngine.available)
    func history(_ engine: StoreEngine) async throws {
        try await engine.withStore { db in
            try await Fixture.stockShelf(db)
            for id in 1...5 { try await Self.decide(db, id, id == 3 ? .hold : .acknowledge, reserve: 1) }
            let window = (since: Self.now.addingTimeInterval(-1), until: Self.now.addingTimeInterval(1))
            let first = try await db.loggedDecisions(since: window.since, until: window.until, afterId: 0, limit: 2)
            let rest = try await db.loggedDecisions(
                since: window.since, until: window.until, afterId: try #require(first.last?.id), limit: 100)
            #expect((first + rest).map(\.frId) == [1, 2, 3, 4, 5])
            let rows = try await db.reportRows(since: window.since, until: window.until, afterId: 0, limit: 100)
            #expect(rows.count == 5)
            #expect(try await db.reportCounts(since: window.since, until: window.until).frsReceived == 5)
            let later = Self.now.addingTimeInterval(10)
            #expect(try await db.loggedDecisions(since: later, until: later + 1, afterId: 0, limit: 10).isEmpty)
        }
    }

    @Test(
        "the decision list: newest first, paged by id, narrowed by decision, rule, reason, SKU, FR, person and time",
        arguments: StoreEngine.available)
    func decisionPage(_ engine: StoreEngine) async throws {
        try await engine.withStore { db in
            for id in 1...4 { try await Self.decide(db, id, [3: .hold, 4: .cancel][id] ?? .acknowledge) }
            // FR 5: a person's acknowledge of a SKU holding LIKE's wildcards and a slash.
            let fr = Fixture.fr(5, sku: "B/1_%")
            try await db.recordSeen([(fr, #"{"id":5}"#)], at: Self.now)
            var manual = Fixture.decision(fr, .acknowledge)
            manual.rule = "manual"
            manual.decidedBy = "dana"
            manual.lines = [LineAnswer(itemId: 50, sku: "B/1_%", quantity: 2, acknowledged: 2, cancelled: 0)]
            try await db.recordDecision(
                manual, cycleId: nil, outbox: OutboxDraft(kind: .acknowledge, bodyJSON: nil), at: Self.now)
            func ids(_ filter: DecisionFilter = DecisionFilter(), before: Int64? = nil, limit: Int = 50) async throws
                -> [Int]
            {
                try await db.decisionPage(filter, beforeId: before, limit: limit).map(\.row.frId)
            }
            let first = try await db.decisionPage(DecisionFilter(), beforeId: nil, limit: 2)
            #expect(first.map(\.row.frId) == [5, 4])
            #expect(first.map(\.row.answer) == ["pending", "pending"])
            #expect(try await ids(before: first.last?.id, limit: 2) == [3, 2])
            #expect(try await ids(before: first.last?.id) == [3, 2, 1])
            #expect(try await ids(DecisionFilter(decision: .hold)) == [3])
            #expect(try await ids(DecisionFilter(decision: .cancel, reason: .other)) == [4])
            #expect(try await ids(DecisionFilter(rule: "manual")) == [5])
            #expect(try await ids(DecisionFilter(person: "dana")) == [5])
            #expect(try await ids(DecisionFilter(sku: "B/1_%")) == [5])
            #expect(try await ids(DecisionFilter(sku: "B/1__")).isEmpty)  // `_` is not a wildcard
            #expect(try await ids(DecisionFilter(sku: "A")) == [4, 2, 1])
            #expect(try await ids(DecisionFilter(fr: "FR-2")) == [2])
            #expect(try await ids(DecisionFilter(fr: "2")) == [2])
            let window = DecisionFilter(since: Self.now.addingTimeInterval(-1), until: Self.now.addingTimeInterval(1))
            #expect(try await ids(window) == [5, 4, 3, 2, 1])
            #expect(try await ids(DecisionFilter(since: Self.now.addingTimeInterval(1))).isEmpty)
            // Another source's decisions are not listed.
            let other = try await db.scoped(to: "elsewhere", pool: "elsewhere")
            #expect(try await other.decisionPage(DecisionFilter(), beforeId: nil, limit: 10).isEmpty)
        }
    }

    @Test(
        "stock positions: the count, units held and shipped since per SKU and location, free, and the figure pushed",
        arguments: StoreEngine.available)
    func stockPositions(_ engine: StoreEngine) async throws {
        try await engine.withStore { db in
            try await Fixture.stockShelf(db, units: 10)
            try await Self.decide(db, 1, .acknowledge, reserve: 2)
            try await Self.decide(db, 2, .acknowledge, reserve: 3)
            try await db.recordPushed(["A": PushedFigure(quantity: 5, cost: nil)], at: Self.now)
            let positions = try await db.stockPositions()
            #expect(positions.count == 1)
            let a = try #require(positions.first)
            #expect(a.sku == "A" && a.location == "dallas" && a.counted == 10 && a.held == 5 && a.shipped == 0)
            #expect(a.free == 5 && a.pushed == 5)
            #expect(abs((a.pushedAt ?? .distantPast).timeIntervalSince(Self.now)) < 1)
            // Another pool's count is not listed.
            let other = try await db.scoped(to: "elsewhere", pool: "elsewhere")
            #expect(try await other.stockPositions().isEmpty)
        }
    }

    @Test(
        "two sources share a pool's ledger but not their FRs; another's undecided FRs are found",
        arguments: StoreEngine.available)
    func pools(_ engine: StoreEngine) async throws {
        try await engine.withStore { db in
            let a = try await db.scoped(to: "retailer-a", pool: "shared")
            let b = try await db.scoped(to: "retailer-b", pool: "shared")
            try await a.replaceStock(
                [StockLevel(sku: "A", location: "dallas", onHand: 5)], source: "s.csv", at: Self.now)
            try await Self.decide(a, 1, .acknowledge, reserve: 2)
            #expect(try await b.loadLedger().free(sku: "A", location: "dallas") == 3)
            #expect(try await b.answeredFRIds(among: [1]).isEmpty)
            try await b.recordSeen([(Fixture.fr(2), #"{"id":2}"#)], at: Self.now)
            let waiting = try await a.undecidedElsewhereInPool(
                seenSince: Self.now.addingTimeInterval(-60), createdBy: nil)
            #expect(waiting.map(\.id) == [2] && waiting.map(\.source) == ["retailer-b"])
            #expect(try await a.storedFRTexts(waiting).values.map { $0 } == [#"{"id":2}"#])
            #expect(try await b.storedFRTexts(ids: [2, 99]) == [2: #"{"id":2}"#])
            #expect(try await db.knownSources().map(\.name).contains("retailer-b"))
            #expect(try await db.activeSources() == ["retailer-a", "retailer-b"])
            #expect(try await db.scoped(to: "retailer-b").pool == "shared")
        }
    }
}
