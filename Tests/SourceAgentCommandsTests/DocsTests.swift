import AgentTesting
import ArgumentParser
import Foundation
import Testing

@testable import FulfillmentCore
@testable import SourceAgentCommands

/// The manual in `docs/` keeps up with the code: every fact, command and setting is documented,
/// and nothing the repository ships points outside it.
@Suite("Docs")
struct DocsTests {
    static func text(_ path: String) throws -> String {
        try String(contentsOf: AgentBinary.repositoryRoot.appendingPathComponent(path), encoding: .utf8)
    }

    @Test("every fact a rule can name is in the rule-language reference")
    func facts() throws {
        let reference = try Self.text("docs/rules.md")
        let names = FactCatalog.facts.keys.sorted() + FactCatalog.itemFields.keys.sorted().map { "item.\($0)" }
        for name in names { #expect(reference.contains("`\(name)`"), "docs/rules.md lacks `\(name)`") }
        for reason in DecisionReason.ruleFileReasons {
            #expect(reference.contains("`\(reason.rawValue)`"), "\(reason)")
        }
        for kind in DecisionKind.allCases { #expect(reference.contains("`\(kind.rawValue)`"), "\(kind)") }
    }

    @Test("every command and subcommand is in docs/commands.md")
    func commands() throws {
        let reference = try Self.text("docs/commands.md")
        func names(_ command: any ParsableCommand.Type, prefix: String) -> [String] {
            let configuration = command.configuration
            let name = prefix.isEmpty ? configuration.commandName ?? "" : "\(prefix) \(configuration.commandName ?? "")"
            let children = configuration.subcommands.flatMap { names($0, prefix: name) }
            return configuration.subcommands.isEmpty ? [name] : children
        }
        let all = SourceAgentCommand.configuration.subcommands.flatMap { names($0, prefix: "") }
        #expect(all.count > 15)
        for name in all { #expect(reference.contains("`\(name)"), "docs/commands.md lacks `\(name)`") }
    }

    @Test("every configuration key, flag and variable is in docs/configuration.md")
    func settings() throws {
        let reference = try Self.text("docs/configuration.md")
        for key in Settings.Key.allCases {
            #expect(reference.contains("`\(key.rawValue)`"), "\(key.rawValue)")
            #expect(reference.contains("`\(key.flag)"), "\(key.flag)")
            #expect(reference.contains("`\(key.environmentName)`"), "\(key.environmentName)")
        }
        for key in SourceEntry.Key.allCases { #expect(reference.contains(key.rawValue), "sources: \(key.rawValue)") }
    }

    @Test("the README and docs link only to files in the repository, and those exist")
    func links() throws {
        let root = AgentBinary.repositoryRoot
        let folder = root.appendingPathComponent("docs")
        let pages =
            ["README.md"]
            + (try FileManager.default.contentsOfDirectory(atPath: folder.path)).filter { $0.hasSuffix(".md") }
            .map { "docs/\($0)" }
        let link = /\]\(([^)#\s]+)(#[^)]*)?\)/
        for page in pages {
            let text = try Self.text(page)
            #expect(!text.contains("shared/") && !text.contains("RULES.md"), "\(page) points outside the repository")
            for match in text.matches(of: link) {
                let target = String(match.output.1)
                if target.hasPrefix("http") { continue }
                let base = (page as NSString).deletingLastPathComponent
                let path = root.appendingPathComponent(base).appendingPathComponent(target).standardizedFileURL.path
                #expect(path.hasPrefix(root.standardizedFileURL.path), "\(page): \(target) leaves the repository")
                #expect(FileManager.default.fileExists(atPath: path), "\(page): \(target) does not exist")
            }
        }
    }
}
