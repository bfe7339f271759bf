import AgentStore
import AgentTesting
import FlxpointSandbox
import Foundation
import FulfillmentCore
import SourceAgent
import SourceAgentCommands
import Testing

@Suite("Tracking inbox")
struct TrackingInboxTests {
    static func write(_ text: String, to url: URL, age: TimeInterval) async throws {
        try text.write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes(
            [.modificationDate: Date().addingTimeInterval(-age)], ofItemAtPath: url.path)
    }

    static let header = "fr,sku,quantity,tracking_number,carrier,method,shipped_at\n"

    @Test("complete files are imported once and moved; a file still being written, temp names and failures are handled")
    func inbox() async throws {
        let frs = AgentFixture.simpleFRs([("A", 1), ("A", 1), ("A", 1)])
        let inboxDirectory = try Scratch.directory("inbox")
        defer { try? FileManager.default.removeItem(at: inboxDirectory) }
        let inboxPath = inboxDirectory.path
        let settings: @Sendable (inout AgentSettings) -> Void = {
            $0.trackingInbox = inboxPath
            $0.trackingSettle = .seconds(2)
        }
        try await AgentFixture.withAgent(frs: frs, stock: AgentFixture.stock(["A": 5]), settings: settings) { context in
            try await context.runUntilQuiet()
            let inbox = URL(fileURLWithPath: inboxPath)
            let good = Self.header + "FR-70001,A,1,T1,UPS,Ground,2026-11-27T20:00:00Z\n"
            try await Self.write(good, to: inbox.appendingPathComponent("good.csv"), age: 60)
            try await Self.write(
                Self.header + "FR-9999,A,1,T9,UPS,Ground,2026-11-27T20:00:00Z\n"
                    + "FR-70002,A,1,T2,UPS,Ground,2026-11-27T20:00:00Z\n",
                to: inbox.appendingPathComponent("bad.csv"), age: 60)
            try await Self.write(
                Self.header + "FR-70003,A,1,T3,UPS,Ground,2026-11-27T20:00:00Z\n",
                to: inbox.appendingPathComponent("growing.csv"), age: 0)
            try await Self.write(good, to: inbox.appendingPathComponent(".good.csv.tmp"), age: 60)
            try await Self.write(good, to: inbox.appendingPathComponent("notes.txt"), age: 60)
            try await Self.write("not,a,tracking,file\n", to: inbox.appendingPathComponent("junk.csv"), age: 60)

            // Paused: nothing is written to Flxpoint, the files wait.
            FileManager.default.createFile(atPath: context.pauseFile, contents: Data())
            #expect(await context.agent.after.run(shouldStop: { false }).inbox == nil)
            #expect(FileManager.default.fileExists(atPath: inbox.appendingPathComponent("good.csv").path))
            try FileManager.default.removeItem(atPath: context.pauseFile)

            let first = await context.agent.after.run(shouldStop: { false })
            #expect(first.inbox?.processed == ["good.csv"])
            #expect(Set(first.inbox?.failed ?? []) == ["bad.csv", "junk.csv"])
            let listing = Set(try FileManager.default.contentsOfDirectory(atPath: inboxPath))
            #expect(listing == [".good.csv.tmp", "notes.txt", "growing.csv", "processed", "failed"])
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: inbox.appendingPathComponent("processed").path) == [
                    "good.csv"
                ])
            let errors = try String(
                contentsOf: inbox.appendingPathComponent("failed/bad.csv.errors.txt"), encoding: .utf8)
            #expect(errors.contains("bad.csv:2: unknown FR 'FR-9999'"))
            #expect(errors.contains("1 shipment sent, 0 already sent, 1 rejected"))
            let junk = try String(
                contentsOf: inbox.appendingPathComponent("failed/junk.csv.errors.txt"), encoding: .utf8)
            #expect(junk.contains("junk.csv:1: missing column"))
            #expect(await context.sandbox.stats().shippedUnits == ["70001": 1, "70002": 1])
            // Each file's outcome is kept for the console's shipments page, an unreadable one too.
            let history = Dictionary(
                uniqueKeysWithValues: try await context.database.trackingFiles(limit: 10).map { ($0.name, $0) })
            #expect(Set(history.keys) == ["good.csv", "bad.csv", "junk.csv"])
            #expect(history["good.csv"]?.origin == "inbox" && history["good.csv"]?.sent == 1)
            #expect(history["bad.csv"]?.rejected == 1 && history["bad.csv"]?.sent == 1)
            #expect(history["bad.csv"]?.problems.contains("bad.csv:2: unknown FR 'FR-9999'") == true)
            #expect(history["junk.csv"]?.problems.contains("junk.csv:1: missing column") == true)

            // A restart (a new agent on the same database and inbox) finds the finished file and
            // a second copy of the good file: the copy creates nothing new.
            try FileManager.default.setAttributes(
                [.modificationDate: Date().addingTimeInterval(-60)],
                ofItemAtPath: inbox.appendingPathComponent("growing.csv").path)
            try await Self.write(good, to: inbox.appendingPathComponent("good.csv"), age: 60)
            let restarted = try await context.restartedAgent(clock: { Harness.now })
            let second = await restarted.after.run(shouldStop: { false })
            #expect(Set(second.inbox?.processed ?? []) == ["growing.csv", "good.csv"])
            let processed = Set(
                try FileManager.default.contentsOfDirectory(atPath: inbox.appendingPathComponent("processed").path))
            #expect(processed == ["good.csv", "good-2.csv", "growing.csv"])
            let stats = await context.sandbox.stats()
            #expect(stats.shipments == 3 && stats.shippedUnits == ["70001": 1, "70002": 1, "70003": 1])
        }
    }
}
