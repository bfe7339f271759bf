import AgentStore
import AgentTesting
import FlxpointAPI
import FlxpointSandbox
import Foundation
import FulfillmentCore
import SourceAgent
import Testing

/// What the agent does when Flxpoint refuses: a refused token stops everything and loses
/// nothing, a wave of 4xx backs off instead of failing answers for good, one bad row never
/// blocks the others, and the pause file stops a long send between two answers.
@Suite("Refusals, back-off and pause against the sandbox")
struct RefusalTests {
    static let three = AgentFixture.simpleFRs([("A", 1), ("A", 1), ("A", 1)])

    @Test("401/403: sending stops, every answer stays pending, the cycle fails; answers flow once fixed")
    func refusedToken() async throws {
        try await AgentFixture.withAgent(frs: Self.three, stock: AgentFixture.stock(["A": 10])) { context in
            await context.faults(#"{"force_status": 403, "scope": "writes"}"#)
            await #expect(throws: CycleReport.AuthFailure.self) { try await context.agent.cycle.run() }
            let outbox = try await context.database.outbox()
            #expect(outbox.count == 3 && outbox.allSatisfy { $0.state == .pending })
            #expect(await context.sandbox.stats().answers.isEmpty)
            let writes = await context.sandbox.requestLog().filter { $0.method != "GET" }
            #expect(writes.count == 1)  // the first refusal stopped the send

            await context.faults(#"{"force_status": 401, "scope": "reads"}"#)
            await #expect(throws: CycleReport.AuthFailure.self) { try await context.agent.cycle.run() }
            #expect(try await context.database.outbox().allSatisfy { $0.state == .pending })

            await context.faults(#"{"force_status": null}"#)
            let report = try await context.agent.cycle.run()
            #expect(report.send.sent == 3)
            let stats = await context.sandbox.stats()
            #expect(stats.answers.count == 3 && stats.duplicates == 0)
        }
    }

    @Test("a wave of 404s on writes keeps answers pending with back-off; they go once it passes")
    func notFoundWave() async throws {
        try await AgentFixture.withAgent(frs: Self.three, stock: AgentFixture.stock(["A": 10])) { context in
            await context.faults(#"{"force_status": 404, "scope": "writes"}"#)
            let first = try await context.agent.cycle.run()
            #expect(first.send.failed == 0 && first.send.sent == 0 && first.send.deferred == 3)
            let outbox = try await context.database.outbox()
            #expect(
                outbox.allSatisfy { $0.state == .pending && ($0.nextAttemptAt ?? .distantPast) > context.clock.now })
            #expect(outbox.allSatisfy { $0.lastError?.contains("404") == true })

            await context.faults(#"{"force_status": null}"#)
            #expect(try await context.agent.cycle.run().send.sent == 0)  // still backing off
            context.clock.advance(by: 61)
            #expect(try await context.agent.cycle.run().send.sent == 3)
            #expect(await context.sandbox.stats().answers.count == 3)
        }
    }

    @Test("a row that cannot be built fails with its reason; the rest are sent, even when the poll fails")
    func badRowAndFailedPoll() async throws {
        try await AgentFixture.withAgent(frs: Self.three, stock: AgentFixture.stock(["A": 10])) { context in
            try await context.database.recordSeen([(Self.three[0], "{}")], at: Harness.now)
            var ledger = try await context.database.loadLedger()
            let broken = Decider.decide(
                Self.three[0], ruleSet: await context.agent.rules.current, ledger: &ledger, now: Harness.now)
            try await context.database.recordDecision(
                broken, cycleId: nil, outbox: OutboxDraft(kind: .adjust, bodyJSON: "{not json"),
                at: Harness.now)
            _ = try await context.recordDecision(Self.three[1])
            _ = try await context.recordDecision(Self.three[2])

            await context.faults(#"{"force_status": 500, "scope": "reads"}"#)
            await #expect(throws: FlxpointError.self) { try await context.agent.cycle.run() }
            let outbox = try await context.database.outbox()
            #expect(outbox.map(\.state) == [.failed, .done, .done])
            #expect(outbox[0].lastError?.contains("the answer cannot be built") == true)
            #expect(await context.sandbox.stats().answers.keys.sorted() == ["70002", "70003"])
            #expect(try await context.database.reservations(state: .held).allSatisfy { $0.frId != 70_001 })
        }
    }

    @Test("a refusal the read-back explains fails the answer; answers retry decides the FR again")
    func explainedRefusalAndRetry() async throws {
        let frs = AgentFixture.simpleFRs([("A", 5)])
        try await AgentFixture.withAgent(wire: .http, frs: frs, stock: AgentFixture.stock(["A": 10])) { context in
            _ = try await context.recordDecision(frs[0])
            // Flxpoint lowers the line to 3 before the answer for 5 goes out: the adjust is refused.
            let patch = #"{"fulfillmentRequestItems": [{"id": 700010, "quantity": 3}]}"#
            let patched = await context.control("PATCH", "fulfillment-requests/70001", json: Data(patch.utf8))
            #expect(patched?.status == 200)
            let report = try await context.agent.sender.sendPending()
            #expect(report.failed == 1)
            let failed = try #require(try await context.database.outbox().first)
            #expect(failed.state == .failed)
            #expect(failed.lastError?.contains("read back: the FR changed upstream after it was decided") == true)
            #expect(try await context.database.reservations(state: .held).isEmpty)

            let db = context.directory.appendingPathComponent("agent.sqlite").path
            let listed = try await AgentBinary.run(["answers", "list", "--db", db, "--state", "failed"])
            #expect(listed.status == 0 && listed.stdout.contains("FR-70001") && listed.stdout.contains("failed"))
            // Without FRs or --all-failed, retry refuses.
            #expect(try await AgentBinary.run(["answers", "retry", "--db", db]).status == 2)
            let retried = try await AgentBinary.run(["answers", "retry", "FR-70001", "--db", db])
            #expect(retried.status == 0 && retried.stdout.contains("1 FR will be decided again"), "\(retried.stderr)")

            let cycle = try await context.agent.cycle.run()
            #expect(cycle.decided == 1 && cycle.send.sent == 1)
            let outbox = try await context.database.outbox()
            #expect(outbox.map(\.state) == [.withdrawn, .done])
            #expect(await context.sandbox.fulfillmentRequest(id: 70_001)?.items[0].acknowledgedQuantity == 3)
            #expect(await context.sandbox.stats().answers == ["70001": 1])
        }
    }

    @Test("the pause file stops a long send between two answers")
    func pauseMidSend() async throws {
        let frs = AgentFixture.simpleFRs(Array(repeating: ("A", 1), count: 30))
        try await AgentFixture.withAgent(frs: frs, stock: AgentFixture.stock(["A": 100])) { config in
            config.latency = .milliseconds(40)
        } _: { context in
            for fr in frs { _ = try await context.recordDecision(fr) }
            let sending = Task { try await context.agent.sender.sendPending() }
            #expect(try await RunningAgent.eventually { await context.sandbox.stats().answers.count >= 3 })
            FileManager.default.createFile(atPath: context.pauseFile, contents: Data())
            let report = try await sending.value
            #expect(report.paused && report.sent < 30 && report.sent + report.deferred == 30)
            try await Task.sleep(for: .milliseconds(200))
            let answered = await context.sandbox.stats().answers.count
            #expect(answered == report.sent)
            #expect(try await context.database.pendingOutboxCount() == 30 - answered)
        }
    }
}
