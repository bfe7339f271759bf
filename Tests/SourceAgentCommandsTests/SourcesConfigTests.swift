import FlxpointAPI
import Foundation
import Testing

@testable import SourceAgentCommands

@Suite("Config: sources")
struct SourcesConfigTests {
    static let path = "/etc/source-agent/agent.yaml"

    func resolve(_ text: String) throws(Settings.Problem) -> Settings {
        try Settings.resolve(flags: [:], environment: [:], file: try ConfigFile.parse(text, path: Self.path))
    }

    func problem(_ text: String) -> String {
        do {
            _ = try resolve(text)
            return "no problem"
        } catch {
            return error.description
        }
    }

    @Test("each source takes the file's values unless it sets its own; paths are relative to the file")
    func defaults() throws {
        let settings = try resolve(
            """
            version: 1
            interval: 5m
            max_rps: 1.5
            sources:
              - name: retailer-a
                token_file: a.token
              - name: brand-x
                token_env: BRAND_X_TOKEN
                rules: brand-x.yaml
                stock_pool: brand-x
                max_share: 0.6
                interval: 30s
                api_url: https://other.example.com
            """)
        #expect(settings.sources.map(\.name) == ["retailer-a", "brand-x"])
        let a = settings.sources[0]
        #expect(a.tokenFile == "/etc/source-agent/a.token" && a.pool == "shared" && a.maxShare == nil)
        #expect(a.interval == .seconds(300) && a.maxRPS == 1.5 && a.rules == "rules.yaml")
        let x = settings.sources[1]
        #expect(x.tokenEnvironment == "BRAND_X_TOKEN" && x.rules == "/etc/source-agent/brand-x.yaml")
        #expect(x.pool == "brand-x" && x.maxShare == 0.6 && x.interval == .seconds(30))
        #expect(x.apiURL == "https://other.example.com")
        #expect(
            try x.clientConfiguration(environment: ["BRAND_X_TOKEN": "tok-1"]).token == FlxpointToken("tok-1"))
        #expect(try settings.source(named: "brand-x").name == "brand-x")
    }

    @Test("without sources: the flags make the one source 'default'")
    func single() throws {
        let settings = try Settings.resolve(flags: [.tokenFile: "t"], environment: [:], file: nil)
        #expect(settings.sources.map(\.name) == ["default"])
        #expect(settings.sources[0].tokenFile == "t" && settings.sources[0].pool == "shared")
    }

    @Test("a bad source is named by line and column")
    func problems() {
        #expect(
            problem("version: 1\nsources:\n  - name: a\n    token_file: a.token\n    max_share: 1.5\n")
                == "\(Self.path):5:16: error: max_share must be a fraction above 0 and at most 1, such as 0.6, got '1.5'"
        )
        #expect(
            problem("version: 1\nsources:\n  - name: a\n").contains("source 'a' needs a 'token_file' or a 'token_env'"))
        #expect(
            problem("version: 1\nsources:\n  - name: a\n    token_file: t\n  - name: a\n    token_file: u\n")
                == "\(Self.path):5:5: error: two sources are named 'a'")
        #expect(
            problem("version: 1\nsources:\n  - name: a b\n    token_file: t\n").contains("3:11: error: a source name"))
        #expect(
            problem("version: 1\nsources:\n  - name: a\n    token_file: t\n    colour: red\n")
                .contains("5:13: error: unknown source key 'colour'"))
        #expect(problem("version: 1\nsources: a\n").contains("2:10: error: 'sources' must be a list"))
        #expect(
            problem("version: 1\ntoken_file: t\nsources:\n  - name: a\n    token_file: t\n")
                .contains("give each source its own token_file or token_env"))
    }
}
