import ArgumentParser

/// `--rules PATH`, shared by every command that reads rules.
struct RulesOption: ParsableArguments {
    static let defaultPath = "rules.yaml"

    @Option(name: .customLong("rules"), help: ArgumentHelp("The rule file (default: rules.yaml).", valueName: "path"))
    var given: String?

    var rules: String { given ?? Self.defaultPath }

    /// `--rules` when given (even with the default's name), else the config file's, else the default.
    func resolved(_ file: [String: String]) -> String { given ?? file["rules"] ?? Self.defaultPath }
}
