import FlxpointAPI
import Foundation
import Testing

@testable import SourceAgentCommands

/// Configuration that used to crash the agent, leak a secret or be accepted silently: each
/// is now an error naming where the value came from.
@Suite("Hostile configuration")
struct HostileConfigTests {
    static let path = "/etc/source-agent/agent.yaml"

    /// The message for a config file, or "accepted".
    func problem(_ text: String, environment: [String: String] = [:]) -> String {
        do {
            let file = try ConfigFile.parse(text, path: Self.path)
            _ = try Settings.resolve(flags: [:], environment: environment, file: file)
            return "accepted"
        } catch {
            return error.description
        }
    }

    @Test(
        "config files that were accepted silently or crashed later",
        arguments: [
            (
                "api_url: http://127.0.0.1:99999\n",
                "agent.yaml:2:10: error: API URL 'http://127.0.0.1:99999' has port 99999"
            ),
            ("api_url: http://127.0.0.1:0\n", "has port 0; a port is from 1 to 65535"),
            ("api_url: https://user:secret@api.flxpoint.com\n", "API URL 'https://***@api.flxpoint.com' holds a user"),
            ("max_rps: 1e308\n", "agent.yaml:2:10: error: max_rps must be 0 (no limit) or from 0.01 to 1000"),
            ("max_rps: 1e19\n", "from 0.01 to 1000 requests per second, got '1e19'"),
            (
                "max_rps: 1e-300\n",
                "max_rps must be 0 (no limit) or from 0.01 to 1000 requests per second, got '1e-300'"
            ),
            ("max_rps: 0.001\n", "got '0.001'"),
            ("alert_webhook: ftp://x\n", "alert_webhook must be an http:// or https:// URL with a host, got 'ftp://x'"),
            ("alert_webhook: not a url\n", "alert_webhook must be an http:// or https:// URL"),
            ("alert_webhook: file:///etc/passwd\n", "alert_webhook must be an http:// or https:// URL"),
            ("alert_webhook: 'true'\n", "alert_webhook must be an http:// or https:// URL"),
            ("alert_webhook: http://hooks.example.com:70000/x\n", "has port 70000"),
            ("db: ~\n", "agent.yaml:2:5: error: 'db' has no value (~); give one, or leave the key out"),
            (
                "rules: " + String(repeating: "r", count: 10_001) + "\n",
                "agent.yaml:2:8: error: a value is 10001 characters long"
            ),
            ("db:\n", "'db' has no value (empty)"),
            ("db: !custom x\n", "agent.yaml:2:5: error: YAML tags (such as !name or !!type) are not supported"),
            ("db: !!python/object:os.system x\n", "error: YAML tags"),
            ("rules: \"a\\0b\"\n", "rules holds a NUL character"),
            ("interval: 99999999999w\n", "interval must be a duration from 0.1s to 1d"),
            (
                "sources:\n  - name: a\n    token_file: t\n    token_env: T\n",
                "agent.yaml:5:16: error: source 'a' has both 'token_file' and 'token_env'"
            ),
            ("sources:\n  - name: a\n    token_env: ~\n", "'token_env' has no value (~)"),
        ] as [(String, String)])
    func refused(body: String, expected: String) {
        let message = problem("version: 1\n" + body)
        #expect(message.contains(expected), "\(message)")
        #expect(!message.contains("secret"))
    }

    @Test("a config without a version line, and a duplicate key, are named in one short line")
    func versionAndDuplicates() {
        #expect(problem("db: a.sqlite\n") == "\(Self.path):1:1: error: the config file needs a 'version: 1' line")
        let big = "version: 1\ndb: a.sqlite\n" + (0..<500).map { "# filler line \($0)\n" }.joined() + "db: b.sqlite\n"
        let duplicate = problem(big)
        #expect(duplicate.contains("error: duplicate key 'db' in a mapping"), "\(duplicate)")
        #expect(duplicate.count < 200 && !duplicate.contains("filler"), "the file is not dumped")
    }

    @Test(
        "flags and the environment are range-checked with their origin, never trapped on",
        arguments: [
            (
                [Settings.Key.maxRPS: "1e+19"], [:], "max_rps must be 0 (no limit) or from 0.01 to 1000",
                "--max-rps"
            ),
            ([.apiURL: "http://127.0.0.1:65536"], [:], "has port 65536", "--api-url"),
            ([:], ["FLXPOINT_API_URL": "http://a:b@127.0.0.1:8089"], "holds a user name", "FLXPOINT_API_URL"),
            ([:], ["SOURCE_AGENT_ALERT_WEBHOOK": "ftp://x"], "alert_webhook must be", "SOURCE_AGENT_ALERT_WEBHOOK"),
            ([.db: "~/agent.sqlite"], [:], "starts with '~', which only a shell expands", "--db"),
        ] as [([Settings.Key: String], [String: String], String, String)])
    func flags(flags: [Settings.Key: String], environment: [String: String], message: String, origin: String) {
        do {
            _ = try Settings.resolve(flags: flags, environment: environment, file: nil)
            Issue.record("accepted \(flags) \(environment)")
        } catch {
            #expect(error.description.contains(message) && error.description.hasSuffix("(from \(origin))"), "\(error)")
            #expect(!error.description.contains("a:b@"))
        }
    }

    @Test("database paths: the real cause, before anything is created")
    func databasePaths() throws {
        #expect(DatabasePath.fileProblem("/dev/null")?.contains("is not a regular file") == true)
        #expect(DatabasePath.fileProblem("/tmp")?.contains("is a directory") == true)
        #expect(
            DatabasePath.fileProblem("no/such/dir/x.sqlite")?.contains("the directory 'no/such/dir' does not exist")
                == true)
        #expect(DatabasePath.fileProblem("a\u{0}b") == "db path holds a NUL character")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dbpath-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(DatabasePath.fileProblem(folder.appendingPathComponent("agent.sqlite").path) == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test(
        "a token is one line of visible ASCII; the problem never quotes it",
        arguments: [
            ("abc123\n", nil), ("abc123\r\n", nil), ("  abc123  ", nil), ("abc123\nsecond-line", "more than one line"),
            ("", "is empty"), ("\n\n", "is empty"), ("abc 123", "a space, a control character"),
            ("abc\u{1B}123", "a control character"), ("abc\u{0}", "a control character"), ("tökén", "non-ASCII"),
        ] as [(String, String?)])
    func tokens(text: String, problem: String?) {
        let found = FlxpointToken.problem(text)
        if let problem {
            #expect(found?.contains(problem) == true, "\(String(describing: found))")
            #expect(found?.contains("abc") == false)
        } else {
            #expect(found == nil)
        }
    }

    @Test("durations show as written in help; the clock offset is read or refused")
    func durationsAndClock() throws {
        #expect(DurationArgument(duration: .seconds(5)).defaultValueDescription == "5s")
        #expect(DurationArgument(duration: .seconds(2 * 86_400)).description == "2d")
        #expect(DurationArgument(duration: .seconds(90)).text == "90s")
        #expect(DurationArgument(argument: "1e300s") == nil)
        #expect(try AgentClock.offset([:]) == nil)
        #expect(try AgentClock.offset([AgentClock.environmentName: "-86400.5"]) == -86_400.5)
        #expect(throws: AgentClock.ClockError.self) { try AgentClock.offset([AgentClock.environmentName: "1e300"]) }
        #expect(throws: AgentClock.ClockError.self) { try AgentClock.offset([AgentClock.environmentName: "soon"]) }
    }

    @Test("found by fuzzing: a database URL's refusal quotes the bad part escaped and short, never raw")
    func databaseURLEchoes() throws {
        for url in [
            "postgres://h/db?sslmode=\u{1B}[31m" + String(repeating: "x", count: 500),
            "postgresql://1###:##\u{1}\u{0}\u{1B}###/d", "postgres://[::1/db", "postgres://h:99999\u{1B}/db",
            "postgres://h/db?\u{1B}]0;title\u{7}=1",
        ] {
            let problem = try #require(Settings.problem(.database, url))
            #expect(!problem.unicodeScalars.contains { $0.value < 0x20 }, "\(problem)")
            #expect(problem.count < 300, "\(problem)")
        }
    }

    @Test("a URL is printed without its credentials, query values or fragment; a webhook without its path")
    func redaction() {
        #expect(RedactedURL.redact("https://u:p@h.example.com/x?y=1") == "https://***@h.example.com/x?y=***")
        #expect(RedactedURL.redact("https://h.example.com/a@b") == "https://h.example.com/a@b")
        #expect(
            RedactedURL.redact("http://127.0.0.1:1/?token=SECRET&x&=v#frag")
                == "http://127.0.0.1:1/?token=***&***&=***#***")
        #expect(
            RedactedURL.redact("postgres://agent@db1,db2/agent?sslmode=require")
                == "postgres://***@db1,db2/agent?sslmode=***")
        #expect(
            RedactedURL.redactWebhook("https://hooks.slack.com/services/T0/B0/SECRET?a=b")
                == "https://hooks.slack.com/***?a=***")
        #expect(RedactedURL.redactWebhook("https://hooks.example.com") == "https://hooks.example.com")
        #expect(RedactedURL.redactWebhook("https://hooks.example.com/") == "https://hooks.example.com/")
        #expect(RedactedURL.redact("not a url") == "not a url")
    }
}
