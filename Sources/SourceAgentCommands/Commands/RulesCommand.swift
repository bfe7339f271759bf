import ArgumentParser

/// `source-agent rules check|test|apply|status`.
struct RulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract:
            "Check a rule file, run rule tests, put rules in force for the fleet, see which version each process runs.",
        subcommands: [RulesCheckCommand.self, RulesTestCommand.self, RulesApplyCommand.self, RulesStatusCommand.self])
}
