import AgentStore
import AgentTesting
import FlxpointAPI
import FlxpointSandbox
import Foundation
import FulfillmentCore
import SourceAgent
import Testing

/// The FR changed upstream while its answer waited: the stale answer is withdrawn, never sent.
@Suite("FRs that change upstream while answers wait")
struct UpstreamChangeTests {
    @Test("an FR raised from 2 to 20 units is decided again: nothing beyond stock is promised")
    func raisedQuantity() async throws {
        let frs = AgentFixture.simpleFRs([("A", 2)])
        try await AgentFixture.withAgent(wire: .http, frs: frs, stock: AgentFixture.stock(["A": 10])) { context in
            _ = try await context.recordDecision(frs[0])
            #expect(try await context.database.reservations(state: .held).map(\.quantity) == [2])
            let patch = #"{"fulfillmentRequestItems": [{"id": 700010, "quantity": 20}]}"#
            _ = await context.control("PATCH", "fulfillment-requests/70001", json: Data(patch.utf8))

            let report = try await context.agent.cycle.run()
            #expect(report.withdrawn == 1 && report.decided == 1 && report.send.sent == 1)
            let outbox = try await context.database.outbox()
            #expect(outbox.map(\.state) == [.withdrawn, .done])
            #expect(outbox[0].lastError?.contains("changed upstream") == true)
            let line = try #require(await context.sandbox.fulfillmentRequest(id: 70_001)?.items.first)
            #expect(line.quantity == 20 && (line.acknowledgedQuantity ?? 0) <= 10)
            let held = try await context.database.reservations(state: .held).reduce(0) { $0 + $1.quantity }
            #expect(held <= 10)
            #expect(await context.sandbox.stats().answers == ["70001": 1])
            let decisions = try await context.database.decisions(forFR: "70001")
            #expect(decisions.count == 2 && decisions[0].withdrawnAt != nil && decisions[1].withdrawnAt == nil)
            let db = context.directory.appendingPathComponent("agent.sqlite").path
            let explain = try await AgentBinary.run(["explain", "FR-70001", "--db", db]).stdout
            let first = try #require(explain.range(of: "── decision 1 of 2"))
            let second = try #require(explain.range(of: "── decision 2 of 2"))
            #expect(first.lowerBound < second.lowerBound)
            #expect(explain.contains("answer adjust: withdrawn · queued"))
            #expect(explain.contains("0 attempts · withdrawn"))
            #expect(explain.contains("changed upstream after it was decided"))
            #expect(explain.contains("answer adjust: done · queued"))
        }
    }

    @Test("a voided FR gets no answer and its stock is released")
    func voided() async throws {
        let frs = AgentFixture.simpleFRs([("A", 2), ("A", 1)])
        try await AgentFixture.withAgent(frs: frs, stock: AgentFixture.stock(["A": 10])) { context in
            _ = try await context.recordDecision(frs[0])
            _ = try await context.recordDecision(frs[1])
            _ = await context.control("POST", "fulfillment-requests/70001/void")
            let report = try await context.agent.cycle.run()
            #expect(report.send.sent == 1 && report.send.withdrawn == 1)
            let outbox = try await context.database.outbox()
            #expect(outbox.map(\.state) == [.withdrawn, .done])
            #expect(outbox[0].lastError?.contains("Voided upstream") == true)
            let stats = await context.sandbox.stats()
            #expect(stats.answers == ["70002": 1] && stats.refused.isEmpty)
            #expect(try await context.database.reservations(state: .held).map(\.frId) == [70_002])
            #expect(try await context.database.status().withdrawnAnswers == 1)
        }
    }

    @Test("an FR listed twice in one poll (the list shifted between pages) is decided once")
    func listedTwice() async throws {
        let frs = AgentFixture.simpleFRs([("A", 1), ("A", 1), ("A", 1), ("A", 1), ("A", 1)])
        try await AgentFixture.withAgent(frs: Array(frs.dropFirst()), stock: AgentFixture.stock(["A": 10])) { config in
            config.latency = .milliseconds(300)
        } settings: { settings in
            settings.pageSize = 2
        } _: { context in
            let late = String(decoding: try JSONEncoder().encode([frs[0]]), as: UTF8.self)
            let inserter = Task {
                // Once page 1 has been served, an older FR appears: page 2 now starts one FR earlier.
                _ = try await RunningAgent.eventually {
                    await context.sandbox.requestLog().contains { $0.path == "/fulfillment-requests" }
                }
                _ = await context.control("POST", "fulfillment-requests", json: Data(late.utf8))
            }
            let report = try await context.agent.cycle.run()
            try await inserter.value
            let listings = await context.sandbox.requestLog().filter { $0.path == "/fulfillment-requests" }
            #expect(listings.count == 4)  // 2 + 2 + 1 FRs, then the empty page
            #expect(report.fetched == 4 && report.decided == 4)
            #expect(await context.sandbox.stats().answers.count == 4)
        }
    }

    @Test("a short page does not end the listing, an empty one does; a cycle reads at most its page bound")
    func paging() async throws {
        let frs = AgentFixture.simpleFRs(Array(repeating: ("A", 1), count: 5))
        try await AgentFixture.withAgent(frs: frs, stock: AgentFixture.stock(["A": 10])) { config in
            config.maxPageSize = 2  // the server caps the page size silently: every page looks short
        } settings: { settings in
            settings.pageSize = 3
            settings.maxPagesPerCycle = 2
        } _: { context in
            let first = try await context.agent.cycle.run()
            #expect(first.fetched == 4 && first.decided == 4)
            let second = try await context.agent.cycle.run()
            #expect(second.decided == 1)
            #expect(await context.sandbox.stats().answers.count == 5)
        }
    }
}
