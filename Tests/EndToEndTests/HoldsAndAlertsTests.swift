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
                let first = try await context.agent.cycle.run()
                #expect(first.decisions == ["hold": 2] && first.holds.open == 2)
                #expect(first.holds.oldestSince == Harness.now)
                context.clock.advance(by: 12 * 3600)
                #expect(try await context.agent.cycle.run().decided == 0)  // still held, nothing new logged
                context.clock.advance(by: 12 * 3600 + 60)
                let escalated = try await context.agent.cycle.run()
                #expect(escalated.decisions == ["cancel": 2] && escalated.send.sent == 2)
                let decisions = try await context.database.decisions(forFR: "FR-70001")
                #expect(decisions.map(\.decision) == [.hold, .cancel])
                #expect(decisions.allSatisfy { $0.rule == "bad-address" } && decisions[1].reason == .addressInvalid)
                #expect(decisions[1].traceJSON.contains("escalated: held since 2026-11-27T15:00:00Z"))
                #expect(await context.sandbox.fulfillmentRequest(id: 70_001)?.status == "Canceled")

                // Two escalations, stale stock, and the holds that waited 12h for a person.
                #expect(await context.agent.alerts?.deliverDue() == 4)
                _ = try await context.agent.cycle.run()
                #expect(await context.agent.alerts?.deliverDue() == 0)  // once per FR and event
                // 24h on, the stock file is stale too: that is its own alert.
                #expect(receiver.events.contains { $0["event"] as? String == "holds_waiting" })
                let events = receiver.events.filter {
                    !["stock_stale", "holds_waiting"].contains($0["event"] as? String ?? "")
                }
                #expect(events.map { $0["event"] as? String } == ["hold_escalated", "hold_escalated"])
                #expect(Set(events.compactMap { $0["fr_number"] as? String }) == ["FR-70001", "FR-70002"])
                #expect(events.allSatisfy { ($0["rule"] as? String) == "bad-address" })
                #expect((events.first?["text"] as? String)?.hasPrefix("source-agent hold_escalated FR-700") == true)
            }
        }
    }

    @Test("holds waiting longer than hold_alert_after are alerted hourly with their ages and people's decisions")
    func holdsWaiting() async throws {
        let frs = AgentFixture.simpleFRs([("A", 1), ("A", 1), ("A", 1)]).map(Self.badAddress)
        let receiver = WebhookReceiver()
        try await receiver.withRunning { hook in
            try await AgentFixture.withAgent(
                frs: frs, stock: AgentFixture.stock(["A": 5]), settings: { $0.holdAlertAfter = .seconds(3600) },
                alertWebhook: hook
            ) { context in
                try await context.agent.cycle.run()
                #expect(await context.agent.alerts?.deliverDue() == 0)  // just held: nobody is late yet
                _ = try await context.agent.manual.decide(
                    "FR-70001", action: .acknowledge(force: false), by: "ana", note: nil,
                    ruleSet: await context.agent.rules.current)
                context.clock.advance(by: 2 * 3600)
                try await context.agent.cycle.run()
                #expect(await context.agent.alerts?.deliverDue() == 1)
                let event = try #require(receiver.events.first)
                #expect(event["event"] as? String == "holds_waiting" && event["fr_id"] is NSNull)
                #expect(event["source"] as? String == "default", "each alert names its source")
                let message = event["message"] as? String ?? ""
                #expect(message.hasPrefix("2 FRs wait for a person (0 under 1h, 2 1h–4h, 0 4h–24h, 0 over 24h)"))
                #expect(message.contains("decisions by people so far: ana 1"))
                context.clock.advance(by: 600)
                try await context.agent.cycle.run()
                #expect(await context.agent.alerts?.deliverDue() == 0)  // at most once an hour
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
            try await AgentFixture.withAgent(
                wire: .http, frs: frs, stock: AgentFixture.stock(["A": 5]), alertWebhook: hook
            ) {
                context in
                let report = try await context.agent.cycle.run()
                #expect(report.holds.open == 1 && report.holds.pastShipBy == 1)
                let db = context.directory.appendingPathComponent("agent.sqlite").path
                let status = try await AgentBinary.run(["status", "--db", db])
                #expect(status.stdout.contains("1 can no longer meet their ship-by day"), "\(status.stdout)")
                let json = try await AgentBinary.run(["status", "--db", db, "--format", "json"])
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
                let report = try await context.agent.cycle.run()
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
                #expect(alerts.allSatisfy { $0.state == .sent })
                _ = try await context.agent.cycle.run()  // the guard trips again within the hour
                #expect(try await context.database.alerts().count == alerts.count)
            }
        }
    }
}
