import FulfillmentCore

/// The console's preview of a rule edit runs the rule test files that name the rule file,
/// under the edited rules. Reading those files (and the FR and stock files they name) is the
/// commands' `rules test` loader's job; the composition root hands it in through this port.
public protocol RuleTestRunning: Sendable {
    /// Each test file naming the rule file at `rulesPath`, its cases run under `ruleSet`.
    func run(testing rulesPath: String, under ruleSet: RuleSet) -> [RuleTestFileOutcome]
}

/// One rule test file's outcome: its cases' results (nil when the file could not be run) and
/// the messages reading it gave.
public struct RuleTestFileOutcome: Sendable {
    public let path: String
    public let results: [RuleTestResult]?
    public let messages: [String]

    public init(path: String, results: [RuleTestResult]?, messages: [String]) {
        self.path = path
        self.results = results
        self.messages = messages
    }
}
