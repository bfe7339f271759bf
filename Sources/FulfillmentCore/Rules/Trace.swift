/// One evaluated check with its operands' values, e.g.
/// `ship.earliest 2026-11-30T14:00-06:00 > fr.ship_by 2026-11-27` → true.
public struct TraceCheck: Sendable, Equatable, Codable {
    public var check: String
    public var result: Bool

    public init(check: String, result: Bool) {
        self.check = check
        self.result = result
    }

    public var description: String { "\(check) → \(result)" }
}

/// What happened when one rule was tried.
public struct RuleTrace: Sendable, Equatable, Codable {
    public var rule: String
    public var matched: Bool
    public var checks: [TraceCheck]

    public init(rule: String, matched: Bool, checks: [TraceCheck]) {
        self.rule = rule
        self.matched = matched
        self.checks = checks
    }
}

/// Why a decision was taken: every rule tried in order, and notes on how it was applied.
public struct DecisionTrace: Sendable, Equatable, Codable {
    public var rules: [RuleTrace]
    /// Adjustments after the rule matched, e.g. a split that covers everything acting as an acknowledge.
    public var notes: [String]

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
