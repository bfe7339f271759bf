// SourceAgentCommands: the command line. `Commands/` are thin; `Config/` resolves settings and holds the one
// composition root; `Console/` is the web console.

import ArgumentParser
import Foundation

/// The root `source-agent` command.
public struct SourceAgentCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "source-agent",
        abstract: "Answers Flxpoint fulfillment requests unattended, by a rule file, and explains every decision.",
        discussion: """
            Exit codes: 0 success, 1 failure, 2 bad usage or a bad input file (with diagnostics), 3 a safety \
            guard stopped the work.
            """,
        version: SourceAgentVersion.current,
        subcommands: [
            InitCommand.self, RunCommand.self, DemoCommand.self, DryRunCommand.self, ReplayCommand.self,
            ReportCommand.self,
            ExplainCommand.self,
            StatusCommand.self, HoldsCommand.self, DecideCommand.self, PauseCommand.self, ResumeCommand.self,
            StockCommand.self, TrackingCommand.self,
            InventoryCommand.self, AnswersCommand.self, RulesCommand.self, ConfigCommand.self, SandboxCommand.self,
            MigrateCommand.self, DatabaseCommand.self, LeasesCommand.self,
        ]
    )

    public init() {}

    /// Parses the command line and runs the command. Bad usage exits 2, as docs/commands.md promises,
    /// rather than argument-parser's 64.
    public static func runFromCommandLine() async -> Never {
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(Exit.badInput.rawValue)
        }
        do {
            _ = try AgentClock.offset()
        } catch {
            FileHandle.standardError.write(Data("\(error.description)\n".utf8))
            Foundation.exit(Exit.badInput.rawValue)
        }
        do {
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
            exit()
        } catch let error as ValidationError {
            // A bad value found while running (e.g. `--now tomorrow`): the message is enough.
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            Foundation.exit(Exit.badInput.rawValue)
        } catch {
            exit(withError: error)
        }
    }
}

/// The version `--version` shows; the one place it is set.
public enum SourceAgentVersion {
    public static let current = "0.9.0"
}
