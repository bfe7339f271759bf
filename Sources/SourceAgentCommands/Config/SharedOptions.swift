import ArgumentParser
import Foundation

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
}
