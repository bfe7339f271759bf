import AgentStore
import AgentTesting
import FlxpointSandbox
import Foundation
import FulfillmentCore
import Testing

@Suite("Agent cycles against the sandbox and a real SQLite file")
struct AgentCycleTests {
    @Test("a backlog of 500 FRs is answered exactly once and stock is never promised twice")
    func backlog() async throws {
        let seed = SandboxSeed.generate(count: 500, seed: 11, now: Harness.now)
        try await AgentFixture.withAgent(frs: seed.frs, stock: seed.stock) { context in
            let reports = try await context.runUntilQuiet()
            #expect(reports[0].fetched == 500 && reports[0].decided == 500)
            let stats = await context.sandbox.stats()
            let outbox = try await context.database.outbox()
            #expect(outbox.allSatisfy { $0.state == .done })
            #expect(stats.answers.count == outbox.count)
            #expect(stats.answers.values.allSatisfy { $0 == 1 })
            #expect(stats.duplicates == 0 && stats.contradictions == 0)
            // Every answered FR looks answered upstream, with the quantities we decided.
            for row in outbox {
                let fr = try #require(await context.sandbox.fulfillmentRequest(id: row.frId))
                #expect(fr.acknowledgedAt != nil || fr.status == "Canceled")
            }
            var reserved: [String: Int] = [:]
            for r in try await context.database.reservations(state: .held) {
                reserved[r.sku, default: 0] += r.quantity
            }
            let onHand = Dictionary(seed.stock.map { ($0.sku, $0.onHand) }, uniquingKeysWith: +)
            for (sku, units) in reserved { #expect(units <= onHand[sku] ?? 0, "\(sku): \(units) reserved") }
            #expect(!reserved.isEmpty)
            let status = try await context.database.status()
            #expect(status.pendingAnswers == 0 && status.answered == outbox.count)
        }
    }

    @Test("a held FR is decided again each cycle and answered once stock arrives")
    func holdsActedOnWhenStockArrives() async throws {
        let rules = """
            version: 1
            warehouse: { timezone: America/Chicago }
            rules:
              - name: wait-for-stock
                when: not stock.covers_all
                then: hold
                note: "waiting for {stock.missing_units} units"
            default: { then: acknowledge }
            """
        let frs = AgentFixture.simpleFRs([("A", 3), ("B", 1)])
        try await AgentFixture.withAgent(frs: frs, stock: AgentFixture.stock(["A": 1, "B": 1]), rules: rules) {
            context in
            try await context.runUntilQuiet()
            #expect(try await context.database.decisions(forFR: "70001").map(\.decision) == [.hold])
            #expect(await context.sandbox.stats().answers.keys.sorted() == ["70002"])
            try await context.agent.cycle.run()
            #expect(try await context.database.decisions(forFR: "70001").count == 1)  // same outcome: no new row
            try await context.database.replaceStock(
                AgentFixture.stock(["A": 5, "B": 1]), source: "test", at: Harness.now)
            try await context.runUntilQuiet()
            #expect(try await context.database.decisions(forFR: "70001").map(\.decision) == [.hold, .acknowledge])
            #expect(await context.sandbox.fulfillmentRequest(id: 70_001)?.acknowledgedAt != nil)
            #expect(await context.sandbox.stats().answers.values.allSatisfy { $0 == 1 })
        }
    }

    @Test("the guard turns a cycle of mass cancels into holds and sends nothing")
    func guardTrip() async throws {
        let rules = """
            version: 1
            warehouse: { timezone: America/Chicago }
            guards: { max_cancel_share: 0.5, min_cycle_size: 10 }
            rules:
              - name: cancel-everything
                when: true
                then: cancel
                reason: other
            """
        let frs = AgentFixture.simpleFRs((0..<12).map { _ in ("A", 1) })
        try await AgentFixture.withAgent(frs: frs, stock: [], rules: rules) { context in
            let report = try await context.agent.cycle.run()
            #expect(report.guardTripped && report.decided == 12)
            let decisions = try await context.lastDecisions(frs).map { $0! }
            #expect(decisions.allSatisfy { $0.decision == .hold && $0.reason == .guardHold })
            #expect(decisions[0].note?.hasPrefix("guard: 12 of 12 FRs in this cycle would be cancelled") == true)
            #expect(try await context.database.outbox().isEmpty)
            #expect(await context.sandbox.stats().answers.isEmpty)
            let cycle = try await context.database.status().lastCycle
            #expect(cycle?.guardTripped == true && cycle?.error?.contains("guard") == true)
        }
    }

    @Test("pause holds every decision and sends nothing; resume answers them")
    func pauseAndResume() async throws {
        let frs = AgentFixture.simpleFRs([("A", 1), ("A", 1), ("B", 1)])
        try await AgentFixture.withAgent(frs: frs, stock: AgentFixture.stock(["A": 5, "B": 5])) { context in
            FileManager.default.createFile(atPath: context.pauseFile, contents: Data())
            let paused = try await context.agent.cycle.run()
            #expect(paused.paused && paused.decided == 3 && paused.send.sent == 0)
            #expect(await context.sandbox.stats().answers.isEmpty)
            let held = try await context.database.decisions(forFR: "70001")
            #expect(held.map(\.decision) == [.hold] && held[0].note == "paused; would acknowledge by rule complete")
            #expect(try await context.database.reservations(state: .held).isEmpty)
            try FileManager.default.removeItem(atPath: context.pauseFile)
            try await context.runUntilQuiet()
            let stats = await context.sandbox.stats()
            #expect(stats.answers.count == 3 && stats.answers.values.allSatisfy { $0 == 1 })
        }
    }

    @Test("a malformed FR is quarantined once, the others go on, and it is decided once fixed upstream")
    func quarantine() async throws {
        var frs = AgentFixture.simpleFRs([("A", 1), ("A", 1)])
        let broken = SandboxSeed.generate(count: 1, now: Harness.now, malformedRate: 1, firstId: 70_003)
        frs += broken.frs
        try await AgentFixture.withAgent(frs: frs, malformed: broken.malformed, stock: AgentFixture.stock(["A": 5])) {
            context in
            let first = try await context.agent.cycle.run()
            #expect(first.quarantined == 1 && first.decided == 2)
            let second = try await context.agent.cycle.run()
            #expect(second.quarantined == 0)
            let quarantined = try await context.database.quarantined()
            #expect(quarantined.count == 1 && quarantined[0].frId == 70_003 && quarantined[0].timesSeen == 2)
            #expect(quarantined[0].error.contains("fulfillmentRequestItems[0].quantity"))
            await context.sandbox.repair(70_003)
            try await context.runUntilQuiet()
            #expect(try await context.database.quarantined().isEmpty)
            #expect(try await !context.database.decisions(forFR: "70003").isEmpty)
        }
    }

    @Test("an answer Flxpoint refuses is marked failed and its stock released")
    func refusedAnswer() async throws {
        let frs = AgentFixture.simpleFRs([("A", 2)])
        try await AgentFixture.withAgent(frs: frs, stock: AgentFixture.stock(["A": 5])) { context in
            FileManager.default.createFile(atPath: context.pauseFile, contents: Data())
            try await context.agent.cycle.run()
            try FileManager.default.removeItem(atPath: context.pauseFile)
            await context.sandbox.void(70_001)  // voided upstream while we were paused
            // The FR is no longer open, so write the answer as if decided just before it was voided.
            var ledger = try await context.database.loadLedger()
            let decision = Decider.decide(
                frs[0], ruleSet: await context.agent.rules.current, ledger: &ledger, now: Harness.now)
            try await context.database.recordDecision(
                decision, cycleId: nil, outbox: OutboxDraft(kind: .acknowledge, bodyJSON: nil),
                at: Harness.now)
            let report = try await context.agent.sender.sendPending()
            #expect(report.failed == 1)
            let row = try #require(try await context.database.outbox().first)
            #expect(row.state == .failed && row.lastError?.contains("cannot be acknowledged") == true)
            #expect(try await context.database.reservations(state: .held).isEmpty)
            #expect(try await context.database.reservations(state: .released).map(\.quantity) == [2])
            #expect(try await context.database.status().failedAnswers == 1)
        }
    }
}
