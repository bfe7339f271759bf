import AgentStore
import AgentStoreSQLite
import AgentTesting
import FlxpointSandbox
import Foundation
import FulfillmentCore
import GRDB
import Testing

/// Inputs an outside probe fed the release binary that crashed it, leaked the token, wiped
/// the stock or hung; each now ends in a clear message and a safe exit.
@Suite("Broken input to the binary")
struct BrokenInputBinaryTests {
    static let token = ["FLXPOINT_SOURCE_TOKEN": Harness.token]

    /// A scratch folder with a database path inside it.
    static func scratch(_ name: String, _ body: (URL, String) async throws -> Void) async throws {
        let directory = try Scratch.directory(name)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await body(directory, directory.appendingPathComponent("agent.sqlite").path)
    }

    @Test(
        "a port above 65535, a huge rate or credentials in the URL: exit 2, never a crash, no password printed",
        arguments: [
            ["run", "--once", "--api-url", "http://127.0.0.1:65536"],
            ["dry-run", "--live", "--api-url", "http://127.0.0.1:99999"],
            ["run", "--once", "--max-rps", "1e19"],
            ["run", "--once", "--max-rps", "1e-300"],
            ["run", "--once", "--max-rps", "5e-324"],
            ["dry-run", "--live", "--max-rps", "1e-300"],
            ["dry-run", "--live", "--max-rps", "1e308"],
            ["run", "--once", "--api-url", "https://u:hunter2@api.example.com"],
        ])
    func crashes(arguments: [String]) async throws {
        try await Self.scratch("crash") { _, db in
            let result = try await AgentBinary.run(
                arguments + ["--db", db, "--rules", "rules.example.yaml"], environment: Self.token)
            #expect(result.status == 2, "\(result.stderr)")
            #expect(!result.stderr.contains("hunter2") && !result.stderr.contains("Fatal error"))
        }
    }

    @Test("a 300-digit request slot left beside the database is reset with one warning; every command works")
    func absurdSlotFile() async throws {
        try await Self.scratch("read-back") { _, db in
            let frs = AgentFixture.simpleFRs([("SKU-RED", 1)], firstId: 64_001)
            try await Harness.withSandbox(frs: frs) { url, sandbox in
                let base = ["--db", db, "--rules", "rules.example.yaml", "--api-url", url, "--max-rps", "20"]
                // What one run with a rate of 1e-300 used to leave behind, making every later run trap.
                try ("1" + String(repeating: "7", count: 300)).write(
                    toFile: db + ".rate", atomically: true, encoding: .utf8)
                let run = try await AgentBinary.run(["run", "--once"] + base, environment: Self.token)
                #expect(run.status == 0, "\(run.stderr)")
                #expect(
                    run.stderr.contains("the request slot file \(db).rate held") && run.stderr.contains("reset to now"))
                #expect(await sandbox.stats().answers.count == 1)
                let push = try await AgentBinary.run(["inventory", "push"] + base, environment: Self.token)
                #expect(!push.stderr.contains("Fatal error") && !push.stderr.contains("reset to now"), "\(push.stderr)")
            }
            let slot = try #require(Double(try String(contentsOfFile: db + ".rate", encoding: .utf8)))
            #expect(slot < Date().timeIntervalSince1970 + 3600)
        }
    }

    @Test(
        "read commands open the file read-only: no -wal or -shm left, the file unchanged, an empty file not made a database"
    )
    func readOnly() async throws {
        try await Self.scratch("read-only") { _, db in
            try await Harness.withSandbox(frs: AgentFixture.simpleFRs([("SKU-RED", 1)], firstId: 64_101)) { url, _ in
                let run = try await AgentBinary.run(
                    ["run", "--once", "--db", db, "--rules", "rules.example.yaml", "--api-url", url],
                    environment: Self.token)
                #expect(run.status == 0, "\(run.stderr)")
            }
            let before = try Data(contentsOf: URL(fileURLWithPath: db))
            #expect(
                !FileManager.default.fileExists(atPath: db + "-wal"), "run checkpoints and removes its -wal at exit")
            for command in [
                ["status"], ["holds"], ["answers", "list"], ["explain", "FR-64101"], ["report"], ["rules", "status"],
            ] {
                let result = try await AgentBinary.run(command + ["--db", db], environment: Self.token)
                #expect(result.status == 0, "\(command): \(result.stderr)")
                #expect(!FileManager.default.fileExists(atPath: db + "-wal"), "\(command) left a -wal")
                #expect(!FileManager.default.fileExists(atPath: db + "-shm"), "\(command) left a -shm")
            }
            #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before)
            let empty = db + ".empty"
            FileManager.default.createFile(atPath: empty, contents: Data())
            let explained = try await AgentBinary.run(["explain", "1", "--db", empty], environment: Self.token)
            #expect(
                explained.status == 2 && explained.stderr.contains("has no source-agent tables"), "\(explained.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: empty)).isEmpty)
        }
    }

    @Test("a table dropped by hand is named by run, migrate and the read commands, exit 2; not a quiet exit 0")
    func damagedSchema() async throws {
        try await Self.scratch("damaged") { _, db in
            _ = try AgentDatabase.open(path: db)
            let queue = try DatabaseQueue(path: db)
            try await queue.write { try $0.execute(sql: "DROP TABLE outbox") }
            try queue.close()
            for command in [
                ["run", "--once", "--rules", "rules.example.yaml", "--api-url", "http://127.0.0.1:1"], ["migrate"],
                ["status"],
            ] {
                let result = try await AgentBinary.run(command + ["--db", db], environment: Self.token)
                #expect(result.status == 2, "\(command): \(result.stderr)")
                #expect(result.stderr.contains("is damaged: table outbox is missing"), "\(command): \(result.stderr)")
                #expect(!result.stderr.contains("Usage:") && !result.stderr.contains("SQLite error"))
            }
        }
    }

    @Test("a --db that is not a database, and an unreachable PostgreSQL: one line in a person's words, no usage text")
    func notADatabase() async throws {
        try await Self.scratch("not-a-db") { directory, _ in
            let csv = directory.appendingPathComponent("stock.csv").path
            try "sku,on_hand\nA,1\n".write(toFile: csv, atomically: true, encoding: .utf8)
            for command in [["status"], ["explain", "1"], ["run", "--once", "--rules", "rules.example.yaml"]] {
                let result = try await AgentBinary.run(command + ["--db", csv], environment: Self.token)
                #expect(result.status == 2 || result.status == 1, "\(command): \(result.stderr)")
                #expect(result.stderr.contains("is not a source-agent database"), "\(command): \(result.stderr)")
                #expect(
                    !result.stderr.contains("Usage:") && !result.stderr.contains("SQLite error"), "\(result.stderr)")
            }
            let unreachable = try await AgentBinary.run(
                ["run", "--once", "--database", "postgres://agent@127.0.0.1:1/agent", "--rules", "rules.example.yaml"],
                environment: Self.token)
            #expect(unreachable.status == 1, "\(unreachable.stderr)")
            let line = unreachable.stderr.split(separator: "\n").last.map(String.init) ?? ""
            #expect(line.contains("127.0.0.1:1: connection refused: nothing listens there"), "\(unreachable.stderr)")
            #expect(!line.contains("NIO") && !line.contains("errno") && !line.contains("SingleConnectionFailure"))
        }
    }

    @Test(
        "escape sequences typed into any flag come back inert: no raw control character reaches the terminal",
        arguments: [
            ["status", "--format", "\u{1B}[31mred", "--db", "DB"],
            [
                "dry-run", "--now", "\u{1B}[2Jnow", "--input", "examples/frs-sample.json", "--rules",
                "rules.example.yaml",
            ],
            ["stock", "import", "examples/stock-sample.csv", "--pool", "\u{1B}]0;title\u{7}", "--db", "DB"],
            ["report", "--since", "\u{1B}[1Ayesterday", "--db", "DB"], ["explain", "FR-\u{1B}[31m1", "--db", "DB"],
            ["holds", "--source", "a\u{1B}[2Kb", "--db", "DB"],
            ["run", "--once", "--interval", "\u{9B}31m5s", "--db", "DB"],
            ["rules", "check", "\u{1B}[31m.yaml"], ["no-such-command-\u{1B}[31m"],
            ["status", "--no-such-flag-\u{1B}[31m"],
        ])
    func escapedEcho(arguments: [String]) async throws {
        try await Self.scratch("escapes") { _, db in
            _ = try AgentDatabase.open(path: db)
            let result = try await AgentBinary.run(arguments.map { $0 == "DB" ? db : $0 }, environment: Self.token)
            let output = result.stdout + result.stderr
            #expect(result.status != 0, "\(arguments)")
            #expect(!output.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x9B || $0.value == 0x07 })
            #expect(output.contains("\\u{1B}") || output.contains("\\u{9B}"), "the value is shown, escaped: \(output)")
        }
    }

    @Test("the messages name the cause: port, rate, credentials")
    func crashMessages() async throws {
        try await Self.scratch("crash-messages") { _, db in
            for (arguments, message) in [
                (["--api-url", "http://127.0.0.1:65536"], "API URL 'http://127.0.0.1:65536' has port 65536"),
                (["--max-rps", "1e19"], "from 0.01 to 1000 requests per second, got '1e+19' (from --max-rps)"),
                (["--max-rps", "1e-300"], "max_rps must be 0 (no limit) or from 0.01 to 1000 requests per second"),
                (
                    ["--api-url", "https://u:hunter2@api.example.com"],
                    "'https://***@api.example.com' holds a user name"
                ),
            ] {
                let result = try await AgentBinary.run(
                    ["run", "--once", "--db", db] + arguments, environment: Self.token)
                #expect(result.status == 2 && result.stderr.contains(message), "\(result.stderr)")
            }
        }
    }

    @Test("a token file of two lines, or not a regular file, is refused; the token never reaches the output")
    func tokenFiles() async throws {
        try await Self.scratch("token-file") { directory, db in
            let file = directory.appendingPathComponent("token").path
            try "s3cret-token-value\nsecond-line\n".write(toFile: file, atomically: true, encoding: .utf8)
            chmod(file, 0o600)
            let twoLines = try await AgentBinary.run(
                ["run", "--once", "--token-file", file, "--db", db, "--api-url", "http://127.0.0.1:9"])
            #expect(twoLines.status == 2)
            #expect(twoLines.stderr.contains("holds more than one line"), "\(twoLines.stderr)")
            #expect(!(twoLines.stdout + twoLines.stderr).contains("s3cret"))
            let device = try await AgentBinary.run(["run", "--once", "--token-file", "/dev/zero", "--db", db])
            #expect(
                device.status == 2 && device.stderr.contains("'/dev/zero' is not a regular file"), "\(device.stderr)")
            let loop = directory.appendingPathComponent("loop").path
            try FileManager.default.createSymbolicLink(atPath: loop, withDestinationPath: loop)
            let looped = try await AgentBinary.run(
                ["run", "--once", "--token-file", loop + "/token", "--db", db, "--rules", "rules.example.yaml"])
            #expect(looped.status == 2 && looped.stderr.contains("cannot be read"), "\(looped.stderr)")
            #expect(!looped.stderr.contains("does not exist"))
        }
    }

    @Test("a database path that is a directory, a device or under a missing folder: the cause, nothing created")
    func databasePaths() async throws {
        try await Self.scratch("db-paths") { directory, _ in
            let folder = directory.appendingPathComponent("folder").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let missing = directory.appendingPathComponent("no/such/dir/x.sqlite").path
            for (path, message) in [
                (folder, "is a directory"), ("/dev/null", "is not a regular file"), (missing, "does not exist"),
            ] {
                let result = try await AgentBinary.run(
                    ["run", "--once", "--db", path, "--api-url", "http://127.0.0.1:9"], environment: Self.token)
                #expect(result.status == 2 && result.stderr.contains(message), "\(result.stderr)")
                #expect(result.stderr.contains("(from --db)") && !result.stderr.contains("NSCocoaErrorDomain"))
                let stock = try await AgentBinary.run(["stock", "import", "examples/stock-sample.csv", "--db", path])
                #expect(stock.status == 2 && stock.stderr.contains(message), "\(stock.stderr)")
            }
            #expect(!FileManager.default.fileExists(atPath: folder + ".lock"))
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("no").path))
        }
    }

    @Test("an FR number or SKU with terminal escapes prints escaped in the table and in --explain")
    func terminalInjection() async throws {
        var fr = AgentFixture.simpleFRs([("SKU-\u{1B}]0;pwned\u{07}", 1)])[0]
        fr.number = "FR-\u{1B}[31m1001\r"
        let input = String(decoding: try JSONEncoder().encode([fr]), as: UTF8.self)
        for extra in [[], ["--explain"]] {
            let result = try await AgentBinary.run(
                ["dry-run", "--input", "-", "--rules", "rules.example.yaml", "--now", "2026-11-27T09:00:00-06:00"]
                    + extra, stdin: input)
            #expect(result.status == 0, "\(result.stderr)")
            let bytes = Array((result.stdout + result.stderr).utf8)
            #expect(!bytes.contains(0x1B) && !bytes.contains(0x07) && !bytes.contains(0x0D))
            #expect(result.stdout.contains("FR-\\u{1B}[31m1001\\u{D}"), "\(result.stdout)")
        }
    }

    @Test("a header-only stock file is refused and the stock kept; --allow-shrink imports it")
    func stockShrink() async throws {
        try await Self.scratch("shrink") { directory, db in
            #expect(
                try await AgentBinary.run(["stock", "import", "examples/stock-sample.csv", "--db", db]).status == 0)
            let empty = directory.appendingPathComponent("empty.csv").path
            try "sku,on_hand,location\n".write(toFile: empty, atomically: true, encoding: .utf8)
            let refused = try await AgentBinary.run(["stock", "import", empty, "--db", db])
            #expect(refused.status == 3)
            #expect(
                refused.stderr.contains("would leave 4 of the 4 SKUs in stock with none (100%"), "\(refused.stderr)")
            #expect(refused.stderr.contains("SKU-BLUE") && refused.stderr.contains("--allow-shrink"))
            #expect(try await HostileInputEndToEndTests.onHand(db).values.reduce(0, +) > 0)
            let allowed = try await AgentBinary.run(["stock", "import", empty, "--db", db, "--allow-shrink"])
            #expect(allowed.status == 0, "\(allowed.stderr)")
            #expect(try await HostileInputEndToEndTests.onHand(db).isEmpty)
        }
    }

    @Test("a tracking file of 5,000 rows for FRs nobody has stops after 1,000 and prints a hundred lines")
    func trackingBound() async throws {
        try await Self.scratch("tracking-bound") { directory, db in
            #expect(
                try await AgentBinary.run(["stock", "import", "examples/stock-sample.csv", "--db", db]).status == 0)
            let file = directory.appendingPathComponent("tracking.csv").path
            let rows = (0..<5_000).map { "FR-\(900_000 + $0),SKU-RED,1,1Z\($0)\n" }.joined()
            try ("fr,sku,quantity,tracking_number\n" + rows).write(toFile: file, atomically: true, encoding: .utf8)
            let result = try await AgentBinary.run(
                ["tracking", "import", file, "--db", db, "--api-url", "http://127.0.0.1:9"], environment: Self.token)
            #expect(result.status == 1)
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count <= 110, "\(lines.count) lines")
            #expect(result.stderr.contains("… and 902 more problems"), "\(result.stderr.suffix(300))")
            #expect(result.stdout.contains("0 shipments sent, 0 already sent, 1001 rejected"), "\(result.stdout)")
        }
    }

    @Test("help shows durations as written, not as a Swift value")
    func helpDefaults() async throws {
        let help = try await AgentBinary.run(["help", "run"]).stdout
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(help.contains("(default 5s)") && help.contains("(default 2d)"), "\(help)")
        #expect(!help.contains("DurationArgument"))
    }

    @Test("SIGTERM or SIGINT during run --once ends the cycle after the answers in flight and exits 0")
    func signalDuringOnce() async throws {
        let directory = try Scratch.directory("once-sigterm")
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = directory.appendingPathComponent("agent.sqlite").path
        let stock = directory.appendingPathComponent("stock.csv").path
        try "sku,on_hand\nSKU-RED,1000\n".write(toFile: stock, atomically: true, encoding: .utf8)
        #expect(try await AgentBinary.run(["stock", "import", stock, "--db", db]).status == 0)
        let frs = AgentFixture.simpleFRs(Array(repeating: ("SKU-RED", 1), count: 40))
        let once = ["run", "--once", "--db", db, "--rules", "rules.example.yaml", "--max-rps", "0"]
        // Slow answers: a signal lands while some are in flight and others wait.
        let slow: (inout SandboxConfiguration) -> Void = { $0.latency = .milliseconds(300) }
        try await Harness.withSandbox(frs: frs, configure: slow) { url, sandbox in
            for (signal, name) in [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")] {
                let before = await sandbox.stats().answers.count
                let agent = try AgentBinary.launch(once + ["--api-url", url], environment: Self.token)
                // Once an answer of this run has arrived, it is sending, with more to go.
                #expect(
                    await RunningAgent.eventually(timeout: .seconds(30)) {
                        await sandbox.stats().answers.count > before
                    })
                agent.signal(signal)
                let output = await agent.wait()
                #expect(output.status == 0, "\(output.stderr)")
                #expect(output.stderr.contains("stopped by \(name) after the answers in flight"), "\(output.stderr)")
                let stats = await sandbox.stats()
                #expect(stats.duplicates == 0 && stats.answers.values.allSatisfy { $0 == 1 })
                #expect(stats.answers.count < 40, "stopped before the end: \(stats.answers.count)")
            }
            // Nothing lost: a last run answers the rest, each once.
            let rest = try await AgentBinary.run(once + ["--api-url", url], environment: Self.token)
            #expect(rest.status == 0, "\(rest.stderr)")
            let stats = await sandbox.stats()
            #expect(stats.answers.count == 40 && stats.duplicates == 0)
        }
    }
}
