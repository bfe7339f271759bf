import ArgumentParser

/// The root `source-agent` command.
public struct SourceAgentCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "source-agent",
        abstract: "Answers Flxpoint fulfillment requests unattended, by a rule file, and explains every decision.",
        subcommands: [
            RunCommand.self, DemoCommand.self, DryRunCommand.self, ExplainCommand.self, StatusCommand.self,
            PauseCommand.self, ResumeCommand.self, StockCommand.self, TrackingCommand.self, InventoryCommand.self,
            RulesCommand.self, SandboxCommand.self,
        ]
    )

    public init() {}
}
