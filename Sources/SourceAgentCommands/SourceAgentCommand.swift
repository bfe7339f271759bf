import ArgumentParser

/// The root `source-agent` command.
public struct SourceAgentCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "source-agent",
        abstract: "Answers Flxpoint fulfillment requests unattended, by a rule file, and explains every decision.",
        subcommands: [DryRunCommand.self, RulesCommand.self, SandboxCommand.self]
    )

    public init() {}
}
