import ArgumentParser

/// `--rules PATH`, shared by every command that reads rules.
struct RulesOption: ParsableArguments {
    static let defaultPath = "rules.yaml"

    @Option(name: .long, help: ArgumentHelp("The rule file.", valueName: "path"))
    var rules: String = defaultPath

    /// `--rules`, unless left at its default and the config file names one.
    func resolved(_ file: [String: String]) -> String {
        rules == Self.defaultPath ? file["rules"] ?? rules : rules
    }
}
