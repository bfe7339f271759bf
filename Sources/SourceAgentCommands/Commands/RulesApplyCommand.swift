import AgentStore
import ArgumentParser
import Foundation
import FulfillmentCore
import SourceAgent

/// `source-agent rules apply FILE [--note TEXT]`: puts a rule file in force for the fleet.
struct RulesApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Put a rule file in force for every agent process using this database.",
        discussion: """
            The file is checked as 'rules check' checks it: on errors the diagnostics are printed, nothing is \
            applied and the command exits 2. Otherwise it becomes the version in force for the rule file named by \
            --rules (its file name, e.g. rules.yaml), is written to that file here (the old text kept as \
            PATH.previous), and every running agent decides by it from its next cycle. Applying the text already \
            in force changes nothing.
            """)

    @Argument(help: ArgumentHelp("The new rule file.", valueName: "file"))
    var file: String

    @Option(help: "Why: kept with the version and shown in its history.")
    var note: String?

    @Option(help: "Who applies it (default: the user running the command).")
    var by: String?

    @OptionGroup var database: DatabaseOption
    @OptionGroup var rules: RulesOption

    func run() async throws {
        let text = try InputFiles.text(file, what: "rule file")
        let result = RuleSet.load(contents: text, path: file)
        for diagnostic in result.diagnostics { Terminal.out(diagnostic.description) }
        guard let ruleSet = result.ruleSet else {
            Terminal.out("\(file): \(result.errors.count) error(s): nothing was applied")
            throw Exit.badInput
        }
        let store = try await database.existing()
        let path = rules.rules
        let user = ProcessInfo.processInfo.userName
        let actor = by ?? (user.isEmpty ? "someone" : user)
        let outcome = try await store.putRuleInForce(
            RuleVersion(
                path: path, sha256: ruleSet.sha256, text: text, actor: "\(actor) (rules apply)", note: note,
                at: AgentClock.now()),
            guard: .anything)
        switch outcome {
        case .unchanged(let version):
            Terminal.out("\(version.name): this text is already in force as version \(FleetStatus.label(version))")
        case .applied(let version):
            do {
                try RuleFileWriter.replace(path, with: text)
            } catch {
                Terminal.err("warning: \(error); the version is in force for the fleet all the same")
            }
            Terminal.out(
                "\(version.name): version \(FleetStatus.label(version)) is in force for the fleet"
                    + (version.replaces.map { " (replacing #\($0))" } ?? "")
                    + "; every agent decides by it from its next cycle")
        case .conflict:
            // Only a guarded put conflicts; this one replaces whatever is in force.
            throw Exit.failure
        }
    }
}
