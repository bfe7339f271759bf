import AgentStore
import AgentTesting
import FlxpointAPI
import FlxpointSandbox
import Foundation
import FulfillmentCore
import SourceAgent
import Testing

/// Holds that nobody acts on escalate as the rule says, and a person hears about what needs
/// them through the alert webhook, once per event.
@Suite("Hold escalation and alerts end to end")
struct HoldsAndAlertsTests {
    static let escalatingRules = AgentFixture.rulesWithoutGuard.replacingOccurrences(
        of: "    note: \"address problems: {address.problems}\"\n",
        with: """
                note: "address problems: {address.problems}"
                escalate: { after: 24h, then: cancel, reason: address_invalid }

            """)

    static func badAddress(_ fr: FulfillmentRequest) -> FulfillmentRequest {
        var fr = fr
        fr.shippingAddress?.postal = "10001"  // a New York ZIP on a Texas address
        return fr
    }

    @Test("a held FR escalates after 24h by its rule, is answered, and the webhook hears of it once")
    func escalation() async throws {
        let frs = AgentFixture.simpleFRs([("A", 1), ("A", 1)]).map(Self.badAddress)
        let receiver = WebhookReceiver()
        try await receiver.withRunning { hook in
            try await AgentFixture.withAgent(
                frs: frs, stock: AgentFixture.stock(["A": 5]), rules: Self.escalatingRules, alertWebhook: hook
            ) { context in
                let first = try await context.agent.poll.runCycle()
                #expect(first.decisions == ["hold": 2] && first.holds.open == 2)
                #expect(first.holds.oldestSince == Harness.now)
                context.clock.advance(by: 12 * 3600)
                #expect(try await context.agent.poll.runCycle().decided == 0)  // still held, nothing new logged
                context.clock.advance(by: 12 * 3600 + 60)
                let escalated = try await context.agent.poll.runCycle()
                #expect(escalated.decisions == ["cancel": 2] && escalated.send.sent == 2)
                let decisions = try await context.database.decisions(forFR: "FR-70001")
                #expect(decisions.map(\.decision) == ["hold", "cancel"])
                #expect(decisions.allSatisfy { $0.rule == "bad-address" } && decisions[1].reason == "address_invalid")
                #expect(decisions[1].traceJSON.contains("escalated: held since 2026-11-27T15:00:00Z"))
                #expect(await context.sandbox.fulfillmentRequest(id: 70_001)?.status == "Canceled")

                #expect(await context.agent.alerts?.deliverDue() == 3)  // two escalations, and stale stock
                _ = try await context.agent.poll.runCycle()
                #expect(await context.agent.alerts?.deliverDue() == 0)  // once per FR and event
                // 24h on, the stock file is stale too: that is its own alert.
                let events = receiver.events.filter { $0["event"] as? String != "stock_stale" }
                #expect(events.map { $0["event"] as? String } == ["hold_escalated", "hold_escalated"])
                #expect(Set(events.compactMap { $0["fr_number"] as? String }) == ["FR-70001", "FR-70002"])
                #expect(events.allSatisfy { ($0["rule"] as? String) == "bad-address" })
                #expect((events.first?["text"] as? String)?.hasPrefix("source-agent hold_escalated FR-700") == true)
            }
        }
    }

    @Test("status shows the oldest hold and holds that can no longer meet their ship-by day")
    func staleHolds() async throws {
        var late = AgentFixture.simpleFRs([("A", 1)]).map(Self.badAddress)
        late[0].shipBy = .day(LocalDate("2026-11-26")!)  // yesterday
        let frs = late
        let receiver = WebhookReceiver()
        try await receiver.withRunning { hook in
            try await AgentFixture.withAgent(frs: frs, stock: AgentFixture.stock(["A": 5]), alertWebhook: hook) {
                context in
                let report = try await context.agent.poll.runCycle()
                #expect(report.holds.open == 1 && report.holds.pastShipBy == 1)
                let db = context.directory.appendingPathComponent("agent.sqlite").path
                let status = try AgentBinary.run(["status", "--db", db])
                #expect(status.stdout.contains("1 can no longer meet their ship-by day"), "\(status.stdout)")
                let json = try AgentBinary.run(["status", "--db", db, "--format", "json"])
                let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
                #expect(object?["holds_past_ship_by"] as? Int == 1)
                #expect(object?["oldest_hold_since"] as? String == "2026-11-27T15:00:00Z")
                #expect(await context.agent.alerts?.deliverDue() == 1)
                #expect(receiver.events.first?["event"] as? String == "hold_past_ship_by")
            }
        }
    }

    @Test("guard trips and quarantined FRs are alerted; a failing webhook is retried with back-off")
    func alertsRetry() async throws {
        let frs =
            AgentFixture.simpleFRs(Array(repeating: ("Z", 1), count: 12))
            + AgentFixture.simpleFRs([("Z", 1)], firstId: 79_999)
        let guarded = AgentFixture.rulesWithoutGuard + "\nguards: { max_cancel_share: 0.5, min_cycle_size: 10 }\n"
        let receiver = WebhookReceiver(failFirst: 2)
        try await receiver.withRunning { hook in
            try await AgentFixture.withAgent(
                frs: frs, malformed: [79_999: .object(["id": .number(79_999)])], stock: [], rules: guarded,
                alertWebhook: hook
            ) { context in
                let report = try await context.agent.poll.runCycle()
                #expect(report.guardTripped && report.quarantined == 1)
                let delivery = try #require(context.agent.alerts)
                #expect(await delivery.deliverDue() == 0)  // 500: the receiver is down, the rest wait
                context.clock.advance(by: 6)
                #expect(await delivery.deliverDue() == 0)  // 500 again
                #expect(await delivery.deliverDue() == 1)  // the first alert backs off; the next gets through
                #expect(await delivery.deliverDue() == 0)  // the first is not due yet
                context.clock.advance(by: 11)
                #expect(await delivery.deliverDue() == 1)
                let kinds = Set(receiver.events.compactMap { $0["event"] as? String })
                #expect(kinds == ["guard_tripped", "fr_quarantined"])
                let alerts = try await context.database.alerts()
                #expect(alerts.allSatisfy { $0.state == "sent" })
                _ = try await context.agent.poll.runCycle()  // the guard trips again within the hour
                #expect(try await context.database.alerts().count == alerts.count)
            }
        }
    }
}
