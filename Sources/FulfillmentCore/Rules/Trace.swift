/// One evaluated check with its operands' values, e.g.
/// `ship.earliest 2026-11-30T14:00-06:00 > fr.ship_by 2026-11-27` → true.
public struct TraceCheck: Sendable, Equatable, Codable {
    /// The check as written in the rule, e.g. `stock.covers_all`.
    public var check: String
    /// What it evaluated to for this FR.
    public var result: Bool

    /// A `TraceCheck` from its parts.
    public init(check: String, result: Bool) {
        self.check = check
        self.result = result
    }

    /// The text shown in messages and logs.
    public var description: String { "\(check) → \(result)" }
}

/// What happened when one rule was tried.
public struct RuleTrace: Sendable, Equatable, Codable {
    /// The rule's name.
    public var rule: String
    /// Whether all its checks held, so it decided the FR.
    public var matched: Bool
    /// Each check in order, up to the first that failed.
    public var checks: [TraceCheck]

    /// A `RuleTrace` from its parts.
    public init(rule: String, matched: Bool, checks: [TraceCheck]) {
        self.rule = rule
        self.matched = matched
        self.checks = checks
    }
}

/// Why a decision was taken: every rule tried in order, and notes on how it was applied.
public struct DecisionTrace: Sendable, Equatable, Codable {
    /// Every rule tried, in file order, up to the one that matched.
    public var rules: [RuleTrace]
    /// Adjustments after the rule matched, e.g. a split that covers everything acting as an acknowledge.
    public var notes: [String]

    /// A `DecisionTrace` from its parts.
    public init(rules: [RuleTrace] = [], notes: [String] = []) {
        self.rules = rules
        self.notes = notes
    }

    /// Indented lines a person reads top to bottom.
    public var lines: [String] {
        var out: [String] = []
        for rule in rules {
            out.append("\(rule.matched ? "✔" : "✘") \(rule.rule)")
            for check in rule.checks { out.append("    \(check.description)") }
        }
        for note in notes { out.append("• \(note)") }
        return out
    }
}
