import ArgumentParser
import Foundation
import FulfillmentCore

/// `--rules PATH`, shared by every command that reads rules.
struct RulesOption: ParsableArguments {
    @Option(
        name: .customLong("rules"),
        help: ArgumentHelp("The rule file (default: rules.yaml; env SOURCE_AGENT_RULES).", valueName: "path"))
    var given: String?

    /// For commands without `--config`: the flag, else `SOURCE_AGENT_RULES`, else the default.
    var rules: String {
        Settings.pick(
            .rules, flags: given.map { [.rules: $0] } ?? [:], environment: ProcessInfo.processInfo.environment)!
            .value
    }

    /// The rule set when the file reads and loads cleanly, else nil: for commands that only
    /// borrow its calendar (time zone, deadlines) and work without it.
    var ruleSetIfReadable: RuleSet? {
        (try? String(contentsOfFile: rules, encoding: .utf8)).flatMap {
            RuleSet.load(contents: $0, path: rules).ruleSet
        }
    }
}
