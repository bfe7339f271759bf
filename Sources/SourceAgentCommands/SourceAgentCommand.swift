// SourceAgentCommands: the command line. `Commands/` are thin; `Config/` resolves settings and holds the one
// composition root; `Console/` is the web console.

import AgentStore
import AgentStoreSQLite
import ArgumentParser
import Foundation
import SourceAgentConsole

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
            StockCommand.self, KitsCommand.self, TrackingCommand.self,
            InventoryCommand.self, AnswersCommand.self, RulesCommand.self, ConfigCommand.self, SandboxCommand.self,
            MigrateCommand.self, DatabaseCommand.self, LeasesCommand.self,
        ]
    )

    public init() {}

    /// Parses the command line and runs the command. Bad usage exits 2, as docs/commands.md promises,
    /// rather than argument-parser's 64. Every message goes out through `Terminal`, which
    /// escapes control characters: a value a person typed (`--format $'\e[31m'`) comes back
    /// inert. Usage text follows command-line mistakes only; a failure while running (a file
    /// that is not a database, an unreachable server) is one line in a person's words.
    public static func runFromCommandLine() async -> Never {
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            let code = exitCode(for: error)
            // --help, --version, the help dump the man page is made from: argument-parser's own
            // printing (our own text, no value a person typed), as it always was.
            if code == .success { exit(withError: error) }
            // A mistyped command line or a file it names that cannot be used: a bad input, 2.
            Terminal.err(fullMessage(for: error))
            Foundation.exit(Exit.badInput.rawValue)
        }
        do {
            _ = try AgentClock.offset()
        } catch {
            Terminal.err(error.description)
            Foundation.exit(Exit.badInput.rawValue)
        }
        do {
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
            exit()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)

        } catch let error as ValidationError {
            // A bad value found while running (e.g. `--now tomorrow`): the message is enough.
            Terminal.err("error: \(error.message)")
            Foundation.exit(Exit.badInput.rawValue)
        } catch {
            let code = exitCode(for: error)
            // `source-agent help run`: the help command ends by asking for the help text.
            if code == .success { exit(withError: error) }
            Terminal.err("error: \(PersonWords.text(error))")
            // A damaged or foreign database is a bad input file: 2, as for a broken rule file.
            Foundation.exit(error is AgentDatabase.SchemaProblem ? Exit.badInput.rawValue : code.rawValue)
        }
    }
}

/// The version `--version` shows; the one place it is set.
public enum SourceAgentVersion {
    public static let current = "0.9.0"
}
