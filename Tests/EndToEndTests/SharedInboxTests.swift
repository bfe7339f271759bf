import AgentTesting
import FlxpointSandbox
import Foundation
import Testing

/// A tracking inbox shared by two machines (one folder, two agent processes on one
/// PostgreSQL store): files keep arriving while the process importing them is killed at random
/// points; every row's shipment reaches Flxpoint exactly once and every file ends in
/// `processed/`, none lost, none moved twice.
@Suite("A tracking inbox shared by the fleet")
struct SharedInboxTests {
    @Test("files arriving while the importing process is killed: every row shipped once, every file processed once")
    func sharedFolder() async throws {
        guard let cluster = try await PostgresCluster.shared() else {
            try Test.cancel(Comment(rawValue: PostgresCluster.skipReason))
        }
        let databaseURL = try await cluster.makeMigratedDatabase("shared_inbox")
        defer { cluster.dropDatabase(url: databaseURL) }
        let name = PostgresCluster.databaseName(databaseURL)
        let directory = try Scratch.directory("shared-inbox")
        defer { try? FileManager.default.removeItem(at: directory) }
        let inbox = directory.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        let rules = directory.appendingPathComponent("rules.yaml").path
        try AgentFixture.rulesWithoutGuard.write(toFile: rules, atomically: true, encoding: .utf8)
        let stock = directory.appendingPathComponent("stock.csv").path
        try "sku,on_hand,location\nBOX,1000,dallas\n".write(toFile: stock, atomically: true, encoding: .utf8)
        let env = cluster.environment.merging(["FLXPOINT_SOURCE_TOKEN": Harness.token]) { $1 }
        let imported = try await AgentBinary.run(
            ["stock", "import", stock, "--database", databaseURL], environment: env)
        #expect(imported.status == 0, "\(imported.stderr)")
        let files = 12
        let rowsPerFile = 5
        var backlog = AgentFixture.simpleFRs(Array(repeating: ("BOX", 1), count: files * rowsPerFile), firstId: 81_001)
        for index in backlog.indices { backlog[index].generatedAt = Date().addingTimeInterval(Double(index - 1000)) }
        let frs = backlog
        let numbers = frs.map { $0.number ?? "" }

        try await Harness.withSandbox(frs: frs) { url, sandbox in
            let arguments = [
                "run", "--database", databaseURL, "--rules", rules, "--api-url", url, "--max-rps", "50",
                "--interval", "0.3s", "--lease-ttl", "3s", "--lease-renew", "1s", "--tracking-inbox", inbox.path,
                "--tracking-settle", "0.2s",
            ]
            var agents = [try AgentBinary.launch(arguments, environment: env)]
            agents.append(try AgentBinary.launch(arguments, environment: env))
            defer { for agent in agents { agent.signal(SIGKILL) } }
            // Every FR answered first: a shipment needs its FR acknowledged.
            #expect(
                await RunningAgent.eventually(timeout: .seconds(60)) {
                    await sandbox.stats().answers.count == frs.count
                })
            var generator = SystemRandomNumberGenerator()
            var kills = 0
            for file in 0..<files {
                let lines = (0..<rowsPerFile).map { row -> String in
                    let number = numbers[file * rowsPerFile + row]
                    return "\(number),BOX,1,TRK-\(file)-\(row),UPS,Ground,2026-11-27T20:00:00Z"
                }
                let text =
                    "fr,sku,quantity,tracking_number,carrier,method,shipped_at\n" + lines.joined(separator: "\n") + "\n"
                // Written under a temporary name and renamed, as a WMS drops a finished file.
                let temporary = inbox.appendingPathComponent(".drop-\(file).tmp").path
                try text.write(toFile: temporary, atomically: false, encoding: .utf8)
                try FileManager.default.moveItem(
                    atPath: temporary, toPath: inbox.appendingPathComponent("f\(file).csv").path)
                // Every third file, the process answering (so emptying the inbox) is killed a
                // random moment later, mid-file or between files, and comes back.
                if file % 3 == 1 {
                    try await Task.sleep(for: .milliseconds(Int.random(in: 100...900, using: &generator)))
                    if let pid = try? await cluster.leaseHolder(database: name),
                        let index = agents.firstIndex(where: { $0.pid == pid })
                    {
                        agents[index].signal(SIGKILL)
                        _ = await agents[index].wait()
                        agents[index] = try AgentBinary.launch(arguments, environment: env)
                        kills += 1
                    }
                } else {
                    try await Task.sleep(for: .milliseconds(200))
                }
            }
            let processed = inbox.appendingPathComponent("processed").path
            let done = await RunningAgent.eventually(timeout: .seconds(60)) {
                let left =
                    (try? FileManager.default.contentsOfDirectory(atPath: inbox.path))?
                    .filter { $0.hasSuffix(".csv") } ?? ["?"]
                return left.isEmpty
                    && ((try? FileManager.default.contentsOfDirectory(atPath: processed))?.count == files)
            }
            let logs = agents.map { $0.stderr.split(separator: "\n").suffix(10).joined(separator: "\n") }
            #expect(done, "\(logs.joined(separator: "\n---\n"))")
            let moved = Set(try FileManager.default.contentsOfDirectory(atPath: processed))
            #expect(moved == Set((0..<files).map { "f\($0).csv" }), "no file moved twice (no f3-2.csv)")
            #expect(!FileManager.default.fileExists(atPath: inbox.appendingPathComponent("failed").path))
            let stats = await sandbox.stats()
            #expect(stats.shipments == files * rowsPerFile, "every row shipped exactly once")
            #expect(stats.shippedUnits.values.allSatisfy { $0 == 1 } && stats.shippedUnits.count == files * rowsPerFile)
            let claims = try await cluster.psql(
                "SELECT count(*) FROM inbox_claim WHERE done_at IS NOT NULL", database: name)
            #expect(claims.trimmingCharacters(in: .whitespacesAndNewlines) == "\(files)")
            print(
                "shared inbox: \(files) files, \(files * rowsPerFile) rows, \(kills) kills of the importing process; "
                    + "\(stats.shipments) shipments, each row once")
            for agent in agents { agent.signal(SIGTERM) }
            for agent in agents { _ = await agent.waitForExit(timeout: .seconds(10)) }
        }
    }
}
