import ArgumentParser

/// `source-agent rules check|test`.
struct RulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "Check a rule file or run rule tests.",
        subcommands: [RulesCheckCommand.self, RulesTestCommand.self])
}
