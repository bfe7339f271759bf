import Foundation
import Testing

@testable import SourceAgentCommands

@Suite("Settings: flags, then environment, then config file, then defaults")
struct SettingsResolutionTests {
    static let file = """
        version: 1
        api_url: https://file.example.com
        max_rps: 1.5
        db: file.sqlite
        interval: 5m
        metrics_port: 9100
        """

    func config(_ text: String = Self.file) throws -> ConfigFile {
        try ConfigFile.parse(text, path: "/etc/source-agent/agent.yaml")
    }

    @Test("each level beats the ones after it, key by key")
    func precedence() throws {
        let file = try config()
        let defaults = try Settings.resolve(flags: [:], environment: [:], file: nil)
        #expect(
            defaults.apiURL == "https://api.flxpoint.com" && defaults.maxRPS == 2
                && defaults.db == "source-agent.sqlite")
        #expect(
            defaults.interval == .seconds(60) && defaults.stockMaxAge == .seconds(86_400) && defaults.metricsPort == nil
        )
        #expect(defaults.origins[.db] == .defaultValue)

        let fromFile = try Settings.resolve(flags: [:], environment: [:], file: file)
        #expect(
            fromFile.apiURL == "https://file.example.com" && fromFile.maxRPS == 1.5
                && fromFile.interval == .seconds(300))
        #expect(fromFile.db == "/etc/source-agent/file.sqlite", "paths in the file are relative to it")
        #expect(fromFile.metricsPort == 9100 && fromFile.rules == "rules.yaml")
        #expect(fromFile.origins[.maxRPS] == .file("/etc/source-agent/agent.yaml:3:10"))

        let environment = [
            "SOURCE_AGENT_DB": "env.sqlite", "SOURCE_AGENT_MAX_RPS": "1", "FLXPOINT_API_URL": "http://127.0.0.1:9",
        ]
        let fromEnvironment = try Settings.resolve(flags: [:], environment: environment, file: file)
        #expect(fromEnvironment.db == "env.sqlite" && fromEnvironment.maxRPS == 1)
        #expect(fromEnvironment.apiURL == "http://127.0.0.1:9" && fromEnvironment.interval == .seconds(300))
        #expect(fromEnvironment.origins[.db] == .environment("SOURCE_AGENT_DB"))

        let flags: [Settings.Key: String] = [.db: "source-agent.sqlite", .maxRPS: "0.5"]
        let fromFlags = try Settings.resolve(flags: flags, environment: environment, file: file)
        #expect(fromFlags.db == "source-agent.sqlite", "a flag given with the default's name still wins")
        #expect(fromFlags.maxRPS == 0.5 && fromFlags.apiURL == "http://127.0.0.1:9" && fromFlags.metricsPort == 9100)
        #expect(fromFlags.origins[.maxRPS] == .flag("--max-rps"))
    }

    @Test(
        "a bad value is refused naming where it came from, whichever level gave it",
        arguments: [
            (
                [Settings.Key.metricsPort: "70000"], [:],
                "error: metrics_port must be a port from 1 to 65535, got '70000' (from --metrics-port)"
            ),
            ([:], ["SOURCE_AGENT_MAX_RPS": "fast"], "(from SOURCE_AGENT_MAX_RPS)"),
            ([:], ["SOURCE_AGENT_INTERVAL": "inf"], "interval must be a duration from 0.1s to 1d"),
            ([:], ["SOURCE_AGENT_STOCK_MAX_AGE": "1e300s"], "(from SOURCE_AGENT_STOCK_MAX_AGE)"),
            ([:], ["FLXPOINT_API_URL": "http://api.example.com"], "API URL"),
            ([.interval: "nan"], [:], "(from --interval)"),
            ([:], ["SOURCE_AGENT_LOG_FORMAT": "xml"], "log_format must be text or json, got 'xml'"),
            ([.consolePort: "65536"], [:], "console_port must be a port from 0 (any free port) to 65535"),
            ([.inventoryInterval: "0s"], [:], "inventory_interval must be a duration from 1s to 30d"),
            ([.inventoryCost: "maybe"], [:], "inventory_cost must be true or false"),
            ([.trackingSettle: "-1s"], [:], "(from --tracking-settle)"),
            ([.metricsHost: "a b"], [:], "metrics_host must be a host name"),
            (
                [.consolePort: "8080", .consoleHost: "0.0.0.0"], [:],
                "the console on '0.0.0.0' is reachable from other machines"
            ),
        ] as [([Settings.Key: String], [String: String], String)])
    func badValues(flags: [Settings.Key: String], environment: [String: String], message: String) throws {
        #expect {
            _ = try Settings.resolve(flags: flags, environment: environment, file: try config())
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test("a bad value in the file names its line and column")
    func badFileValue() throws {
        let file = try config("version: 1\nmax_rps: -3\n")
        #expect {
            _ = try Settings.resolve(flags: [:], environment: [:], file: file)
        } throws: { error in
            "\(error)".hasPrefix("/etc/source-agent/agent.yaml:2:10: error: max_rps must be 0 (no limit) or from 0.01")
        }
        #expect(throws: Settings.Problem.self) { try config("version: 2\n") }
        #expect(throws: Settings.Problem.self) { try config("version: 1\ntoken: abc\n") }
        #expect(throws: Settings.Problem.self) { try config("version: 1\ndb: [a, b]\n") }
    }

    @Test("the token: --token-file, then FLXPOINT_SOURCE_TOKEN, then a token file from the environment or the file")
    func tokenPrecedence() throws {
        let file = try config("version: 1\ntoken_file: token\n")
        let token = ["FLXPOINT_SOURCE_TOKEN": "secret"]
        #expect(try Settings.resolve(flags: [:], environment: [:], file: file).tokenFile == "/etc/source-agent/token")
        #expect(try Settings.resolve(flags: [:], environment: token, file: file).tokenFile == nil)
        #expect(
            try Settings.resolve(
                flags: [:], environment: token.merging(["SOURCE_AGENT_TOKEN_FILE": "t"]) { $1 }, file: nil
            )
            .tokenFile == nil)
        #expect(try Settings.resolve(flags: [.tokenFile: "mine"], environment: token, file: file).tokenFile == "mine")
    }

    @Test("every run setting can be written in the file, paths relative to it, each keeping its origin")
    func everyRunSettingInTheFile() throws {
        let file = try config(
            """
            version: 1
            tracking_inbox: inbox
            tracking_settle: 0s
            inventory_interval: 15m
            inventory_cost: true
            read_back_after: 3d
            console_port: 8080
            console_host: 10.0.0.5
            console_password_file: console-passwords
            metrics_host: 0.0.0.0
            log_format: json
            """)
        let settings = try Settings.resolve(flags: [:], environment: [:], file: file)
        #expect(settings.trackingInbox == "/etc/source-agent/inbox" && settings.trackingSettle == .zero)
        #expect(settings.inventoryInterval == .seconds(900) && settings.inventoryCost)
        #expect(settings.readBackAfter == .seconds(3 * 86_400) && settings.consolePort == 8080)
        #expect(settings.consoleHost == "10.0.0.5")
        #expect(settings.consolePasswordFile == "/etc/source-agent/console-passwords")
        #expect(settings.metricsHost == "0.0.0.0" && settings.logFormat == .json)
        #expect(settings.origins[.consolePort] == .file("/etc/source-agent/agent.yaml:7:15"))

        let defaults = try Settings.resolve(flags: [:], environment: [:], file: nil)
        #expect(defaults.trackingInbox == nil && defaults.trackingSettle == .seconds(5))
        #expect(defaults.inventoryInterval == nil && !defaults.inventoryCost && defaults.consolePort == nil)
        #expect(defaults.readBackAfter == .seconds(2 * 86_400) && defaults.consoleHost == "127.0.0.1")
        #expect(defaults.logFormat == .text && defaults.metricsHost == "127.0.0.1")

        let flagged = try Settings.resolve(
            flags: [.logFormat: "text", .consolePort: "0"], environment: ["SOURCE_AGENT_INVENTORY_COST": "false"],
            file: file)
        #expect(flagged.logFormat == .text && flagged.consolePort == 0 && !flagged.inventoryCost)
        #expect(flagged.origins[.inventoryCost] == .environment("SOURCE_AGENT_INVENTORY_COST"))
    }

    @Test("config show lists every key with its origin and never the token")
    func listing() throws {
        let file = try config("version: 1\ndb: agent.sqlite\nalert_webhook: https://hooks.example.com/T0/B1/secret\n")
        let settings = try Settings.resolve(
            flags: [.maxRPS: "1"], environment: ["FLXPOINT_SOURCE_TOKEN": "tok-123"], file: file)
        let text = ConfigListing(settings: settings).text
        for key in Settings.Key.allCases { #expect(text.contains("\(key.rawValue):"), "\(key.rawValue)") }
        #expect(
            text.contains("db: /etc/source-agent/agent.sqlite") && text.contains("# /etc/source-agent/agent.yaml:2:5"))
        #expect(text.contains("max_rps: 1") && text.contains("# --max-rps"))
        #expect(text.contains("interval: 1m") && text.contains("# default"))
        #expect(text.contains("# tracking_inbox: (not set)"))
        #expect(text.contains("read from FLXPOINT_SOURCE_TOKEN, not shown"))
        #expect(!text.contains("tok-123") && !text.contains("secret"))
        #expect(text.contains("  - name: default"))
    }
}
