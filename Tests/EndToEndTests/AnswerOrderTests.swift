import AgentStore
import AgentTesting
import Foundation
import FulfillmentCore
import Testing

@Suite("Answers in the order that matters")
struct AnswerOrderTests {
    @Test("answers waiting past the bound first, then cancels, then the nearest ship-by day, then the rest")
    func order() async throws {
        var built = AgentFixture.simpleFRs([("A", 1), ("A", 1), ("NONE", 1), ("A", 1), ("A", 1), ("NONE", 1)])
        built[1].shipBy = .day(LocalDate("2026-12-20")!)
        built[3].shipBy = .day(LocalDate("2026-11-27")!)
        built[4].shipBy = .instant(Harness.now.addingTimeInterval(86_400))
        let frs = built
        try await AgentFixture.withAgent(frs: frs, stock: AgentFixture.stock(["A": 10])) { context in
            let now = Harness.now
            // Decided 11 minutes ago: an acknowledge with no ship-by that has waited long enough.
            _ = try await context.recordDecision(frs[0], now: now.addingTimeInterval(-660))
            _ = try await context.recordDecision(frs[5], now: now.addingTimeInterval(-60))  // a cancel
            for index in [1, 2, 3, 4] { _ = try await context.recordDecision(frs[index], now: now) }
            let due = try await context.database.dueOutbox(at: now).map(\.record.frId)
            #expect(due == [frs[0].id, frs[5].id, frs[2].id, frs[3].id, frs[4].id, frs[1].id])
            let report = try await context.agent.sender.sendPending()
            #expect(report.sent == 6)
            #expect(await context.sandbox.stats().answers.count == 6)
        }
    }
}
