import AgentStore
import AgentTesting
import FlxpointSandbox
import Foundation
import FulfillmentCore
import SourceAgent
import Testing

/// A person's decisions through the agent's own pipeline, against a real sandbox and database.
@Suite("a person's decisions: the hold queue")
struct ManualDecisionTests {
    /// FRs the rules hold for a person: the ZIP does not belong to the state.
    static func heldFRs(_ lines: [(String, Int)], firstId: Int = 70_001) -> [FulfillmentRequest] {
        AgentFixture.simpleFRs(lines, firstId: firstId).map { fr in
            var fr = fr
            fr.shippingAddress?.postal = "10001"
            return fr
        }
    }

    static func decide(
        _ context: AgentFixture.Context, _ key: String, _ action: ManualAction, by person: String = "ana",
        note: String? = nil
    ) async throws -> FRDecision {
        try await context.agent.manual.decide(
            key, action: action, by: person, note: note, ruleSet: await context.agent.rules.current)
    }

    static func refusal(_ body: () async throws -> FRDecision) async -> ManualDecisionRefused? {
        do {
            _ = try await body()
            return nil
        } catch {
            return error as? ManualDecisionRefused
        }
    }

    @Test("an acknowledge is recorded once, sent once, and the rules never overturn it")
    func acknowledge() async throws {
        let frs = Self.heldFRs([("A", 2)])
        try await AgentFixture.withAgent(wire: .http, frs: frs, stock: AgentFixture.stock(["A": 10])) { context in
            try await context.agent.cycle.run()
            #expect(try await context.database.openHolds().map(\.frId) == [70_001])

            let decision = try await Self.decide(context, "FR-70001", .acknowledge(force: false), note: "phoned")
            #expect(decision.decision == .acknowledge && decision.rule == "manual" && decision.decidedBy == "ana")
            #expect(try await context.database.reservations(state: .held).map(\.quantity) == [2])
            #expect(try await context.database.openHolds().isEmpty)

            let sent = try await context.agent.cycle.run()
            #expect(sent.decided == 0 && sent.send.sent == 1)
            try await context.agent.cycle.run()
            #expect(await context.sandbox.stats().answers == ["70001": 1])
            let rows = try await context.database.decisions(forFR: "70001")
            #expect(rows.map(\.rule) == ["bad-address", "manual"])
            #expect(rows.last?.decidedBy == "ana" && rows.last?.note == "phoned")

            let again = await Self.refusal {
                try await Self.decide(context, "70001", .cancel(reason: .other, remainder: .fill))
            }
            #expect(
                again?.description.contains("already answered: acknowledge by rule manual (decided by ana)") == true)
            #expect(try await context.database.manualDecisionsByPerson() == ["ana": 1])

            // Replay decides again only what the rules decided: the person's acknowledge is not theirs.
            let db = context.directory.appendingPathComponent("agent.sqlite").path
            let rules = context.directory.appendingPathComponent("rules.yaml").path
            let replay = try await AgentBinary.run(["replay", "--db", db, "--rules", rules, "--format", "json"])
            let object = try JSONSerialization.jsonObject(with: Data(replay.stdout.utf8)) as? [String: Any]
            #expect(object?["replayed"] as? Int == 1 && object?["changed"] as? Int == 0, "\(replay.stdout)")
        }
    }

    @Test("split, cancel and acknowledge with --force go through the stock plan and ledger")
    func stockPlan() async throws {
        let frs = Self.heldFRs([("A", 5), ("B", 1), ("C", 1), ("B", 1)])
        try await AgentFixture.withAgent(frs: frs, stock: AgentFixture.stock(["A": 3, "B": 0, "C": 1])) { context in
            try await context.agent.cycle.run()
            #expect(try await context.database.openHolds().count == 4)

            let split = try await Self.decide(context, "FR-70001", .split(remainder: .fill))
            #expect(
                split.decision == .split && split.lines.map(\.acknowledged) == [3]
                    && split.lines.map(\.cancelled) == [2])

            let short = await Self.refusal { try await Self.decide(context, "FR-70002", .acknowledge(force: false)) }
            #expect(short?.needsForce == true)
            #expect(short?.description.contains("would backorder 1 × B (0 free)") == true)
            #expect(try await context.database.decisions(forFR: "70002").count == 1)  // nothing recorded

            let forced = try await Self.decide(context, "FR-70002", .acknowledge(force: true))
            #expect(forced.decision == .acknowledge && forced.trace.notes.contains("backordered: 1 × B not in stock"))
            #expect(forced.reservations.map(\.quantity) == [1])

            let nothing = await Self.refusal { try await Self.decide(context, "FR-70004", .split(remainder: .fill)) }
            #expect(nothing?.description.contains("stock covers no unit") == true)

            let cancel = try await Self.decide(context, "FR-70003", .cancel(reason: .other, remainder: .kill))
            #expect(cancel.lines.map(\.cancelled) == [1] && cancel.remainder == .kill && cancel.reservations.isEmpty)

            try await context.agent.cycle.run()
            #expect(await context.sandbox.stats().answers == ["70001": 1, "70002": 1, "70003": 1])
            let line = try #require(await context.sandbox.fulfillmentRequest(id: 70_001)?.items.first)
            #expect(line.acknowledgedQuantity == 3 && line.voidedQuantity == 2)
            #expect(try await context.database.openHolds().map(\.frId) == [70_004])
        }
    }

    @Test("keep holding: the rules leave the FR alone until --until, and for good without it")
    func keepHolding() async throws {
        let frs = Self.heldFRs([("A", 1), ("A", 1)])
        try await AgentFixture.withAgent(frs: frs, stock: AgentFixture.stock(["A": 10])) { context in
            try await context.agent.cycle.run()
            let until = context.clock.now.addingTimeInterval(3600)
            let held = try await Self.decide(context, "FR-70001", .keepHolding(until: until), by: "bo")
            #expect(held.decision == .hold && held.holdUntil == until && held.rule == "manual")
            _ = try await Self.decide(context, "FR-70002", .keepHolding(until: nil), by: "bo")
            // The address is fixed upstream: the rules would now acknowledge both.
            for id in [70_001, 70_002] {
                let patch =
                    #"{"shippingAddress": {"name": "Ada Lovelace", "addressLine1": "12 Main St", "city": "Austin", "stateCode": "TX", "countryCode": "US", "postal": "78701"}}"#
                _ = await context.control("PATCH", "fulfillment-requests/\(id)", json: Data(patch.utf8))
            }
            #expect(try await context.agent.cycle.run().decided == 0)

            context.clock.advance(by: 7200)
            let after = try await context.agent.cycle.run()
            #expect(after.decided == 1 && after.send.sent == 1)
            #expect(try await context.database.decisions(forFR: "70001").last?.rule == "complete")
            context.clock.advance(by: 30 * 86_400)
            #expect(try await context.agent.cycle.run().decided == 0)
            #expect(await context.sandbox.stats().answers == ["70001": 1])
            let queue = try await context.database.openHolds()
            #expect(queue.map(\.frId) == [70_002] && queue.first?.heldByPerson(at: context.clock.now) == true)

            let past = await Self.refusal {
                try await Self.decide(
                    context, "FR-70002", .keepHolding(until: context.clock.now.addingTimeInterval(-1)))
            }
            #expect(past?.description.contains("is not in the future") == true)
        }
    }

    @Test("a person's answer withdrawn because the FR changed goes back to the hold queue, not to the rules")
    func withdrawnGoesBackToAPerson() async throws {
        let frs = Self.heldFRs([("A", 2)])
        try await AgentFixture.withAgent(frs: frs, stock: AgentFixture.stock(["A": 10])) { context in
            try await context.agent.cycle.run()
            _ = try await Self.decide(context, "FR-70001", .acknowledge(force: false))
            let patch = #"{"fulfillmentRequestItems": [{"id": 700010, "quantity": 4}]}"#
            _ = await context.control("PATCH", "fulfillment-requests/70001", json: Data(patch.utf8))
            let report = try await context.agent.cycle.run()
            #expect(report.withdrawn == 1 && report.decided == 0 && report.send.sent == 0)
            #expect(await context.sandbox.stats().answers.isEmpty)
            #expect(try await context.database.reservations(state: .held).isEmpty)
            let queue = try await context.database.openHolds()
            #expect(queue.map(\.frId) == [70_001] && queue.first?.decision.rule == "manual")
            #expect(queue.first?.decision.note?.contains("changed upstream") == true)
            #expect(queue.first?.decision.note?.contains("ana had decided it: decide it again") == true)
            #expect(try await context.agent.cycle.run().decided == 0)

            // Decided again by a person, on the FR as it is now.
            let again = try await Self.decide(context, "FR-70001", .acknowledge(force: false))
            #expect(again.lines.map(\.acknowledged) == [4])
            try await context.agent.cycle.run()
            #expect(await context.sandbox.stats().answers == ["70001": 1])
        }
    }

    @Test("unknown FRs and FRs that left the open list are refused with the reason")
    func notOpen() async throws {
        let frs = Self.heldFRs([("A", 1), ("A", 1)])
        try await AgentFixture.withAgent(frs: frs, stock: AgentFixture.stock(["A": 10])) { context in
            let unknown = await Self.refusal { try await Self.decide(context, "FR-99999", .acknowledge(force: false)) }
            #expect(unknown?.description.contains("FR FR-99999 is not known to this agent") == true)
            try await context.agent.cycle.run()
            #expect(await context.control("POST", "fulfillment-requests/70002/void")?.status == 200)
            context.clock.advance(by: 60)
            try await context.agent.cycle.run()
            #expect(try await context.database.openHolds().map(\.frId) == [70_001])
            #expect(try await context.database.status().openHolds == 1)
            let gone = await Self.refusal { try await Self.decide(context, "FR-70002", .acknowledge(force: false)) }
            #expect(gone?.description.contains("was not in Flxpoint's open list at the last poll") == true)
            #expect(try await context.database.decisions(forFR: "70002").count == 1)
        }
    }

    @Test("a person and the running agent deciding the same FRs at once: one answer each")
    func raceWithTheAgent() async throws {
        let frs = AgentFixture.simpleFRs((0..<30).map { _ in ("A", 1) })
        try await AgentFixture.withAgent(frs: frs, stock: AgentFixture.stock(["A": 100])) { context in
            // Seen but not yet decided: the person and the cycle race for every FR.
            for fr in frs {
                try await context.database.recordSeen(
                    [(fr, String(decoding: try JSONEncoder().encode(fr), as: UTF8.self))], at: Harness.now)
            }
            async let cycle = context.agent.cycle.run()
            var refused = 0
            for fr in frs {
                do {
                    _ = try await Self.decide(context, String(fr.id), .cancel(reason: .other, remainder: .fill))
                } catch is ManualDecisionRefused {
                    refused += 1
                }
            }
            _ = try await cycle
            try await context.runUntilQuiet()
            let answers = await context.sandbox.stats().answers
            #expect(answers.count == 30 && answers.values.allSatisfy { $0 == 1 })
            let outbox = try await context.database.outbox()
            #expect(outbox.count == 30 && Set(outbox.map(\.frId)).count == 30)
            let manual = try await context.database.manualDecisionsByPerson()["ana"] ?? 0
            #expect(manual + refused == 30)
        }
    }
}
