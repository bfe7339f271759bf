import ArgumentParser
import FulfillmentCore

/// `source-agent rules check [FILE] [--strict]`.
struct RulesCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Load and check a rule file; print diagnostics as path:line:col.",
        discussion: "Exit 0 when the file is usable, 2 when it has errors (or warnings with --strict).")

    @Argument(help: ArgumentHelp("The rule file to check.", valueName: "file"))
    var file: String = "rules.yaml"

    @Flag(help: "Treat warnings as errors.")
    var strict = false

    func run() async throws {
        let contents = try InputFiles.text(file, what: "rule file")
        let result = RuleSet.load(contents: contents, path: file)
        for diagnostic in result.diagnostics {
            var shown = diagnostic
            if strict { shown.severity = .error }
            Terminal.out(shown.description)
        }
        let errors = strict ? result.diagnostics.count : result.errors.count
        guard errors == 0, let ruleSet = result.ruleSet else {
            Terminal.out("\(file): \(errors) error\(errors == 1 ? "" : "s")")
            throw Exit.badInput
        }
        let warnings = result.warnings.count
        Terminal.out(
            "\(file): ok — \(ruleSet.ruleNames.count - 1) rules and a default"
                + (warnings > 0 ? ", \(warnings) warning\(warnings == 1 ? "" : "s")" : ""))
    }
}
