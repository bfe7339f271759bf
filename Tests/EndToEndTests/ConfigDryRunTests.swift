import AgentTesting
import Foundation
import Testing

/// `config show` is the dry run of a configuration: every configuration `run` refuses before it
/// starts, `config show` refuses too, with the same line; and the files a configuration names
/// are checked as the docs say (a password file of one line, an inbox that is a folder).
@Suite("config show refuses what run refuses")
struct ConfigDryRunTests {
    static let token = ["FLXPOINT_SOURCE_TOKEN": Harness.token]

    @Test("each broken configuration: the same error from config show and run --once, exit 2")
    func sameVerdict() async throws {
        let directory = try Scratch.directory("config-dry-run")
        defer { try? FileManager.default.removeItem(at: directory) }
        func file(_ name: String, _ data: Data, mode: Int = 0o600) throws -> String {
            let path = directory.appendingPathComponent(name).path
            FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: mode])
            return path
        }
        let db = directory.appendingPathComponent("agent.sqlite").path
        let brokenRules = try file("broken.yaml", Data("version: 1\nrules:\n  - name: x\n    when: nope\n".utf8))
        let users = try file(
            "users", Data("ana:admin:$2y$31$abcdefghijklmnopqrstuuOQiyCxlgf/oeuTqixKmWdcYUh4Hjl0a\n".utf8))
        let notAFolder = try file("inbox.csv", Data("x".utf8))
        var cases: [(arguments: [String], environment: [String: String], message: String)] = [
            (["--rules", brokenRules], Self.token, "broken.yaml:4:11: error:"),
            // Settings `config show` has no flag for are given as `run` reads them from the environment.
            (
                ["--rules", "rules.example.yaml"],
                Self.token.merging(["SOURCE_AGENT_CONSOLE_USERS_FILE": users]) { $1 },
                "the bcrypt cost is 31"
            ),
            (
                ["--rules", "rules.example.yaml"],
                Self.token.merging(["SOURCE_AGENT_TRACKING_INBOX": directory.appendingPathComponent("none").path]) {
                    $1
                }, "does not exist: create the folder"
            ),
            (
                ["--rules", "rules.example.yaml"],
                Self.token.merging(["SOURCE_AGENT_TRACKING_INBOX": notAFolder]) { $1 }, "is a file, not a folder"
            ),
            (["--rules", "rules.example.yaml"], [:], "no Flxpoint token"),
        ]
        for (name, data, message) in [
            ("two-lines", Data("a\nb\n".utf8), "holds 2 lines"), ("nul", Data("a\u{0}b".utf8), "holds a NUL"),
            ("empty", Data(), "holds no password"), ("huge", Data(repeating: 0x61, count: 1_000_000), "at most 4 KiB"),
        ] {
            let path = try file("pw-\(name)", data)
            cases.append(
                (
                    [
                        "--rules", "rules.example.yaml", "--database", "postgres://agent@127.0.0.1:1/agent",
                        "--database-password-file", path,
                    ], Self.token, message
                ))
        }
        for (arguments, environment, message) in cases {
            let withDB = arguments.contains("--database") ? arguments : arguments + ["--db", db]
            let shown = try await AgentBinary.run(["config", "show"] + withDB, environment: environment)
            let run = try await AgentBinary.run(["run", "--once"] + withDB, environment: environment)
            #expect(shown.status == 2 && shown.stderr.contains(message), "config show \(arguments): \(shown.stderr)")
            #expect(run.status == 2 && run.stderr.contains(message), "run \(arguments): \(run.stderr)")
            #expect(!run.stderr.contains("Usage:") && !run.stderr.contains("NSCocoaErrorDomain"))
        }
        // A password file written on Windows (CR LF) is one line: its password is read without the CR.
        let crlf = try file("pw-crlf", Data("s3cret\r\n".utf8))
        let shown = try await AgentBinary.run(
            [
                "config", "show", "--rules", "rules.example.yaml", "--database", "postgres://agent@127.0.0.1:1/agent",
                "--database-password-file", crlf,
            ], environment: Self.token)
        #expect(shown.status == 0, "\(shown.stderr)")
    }
}
