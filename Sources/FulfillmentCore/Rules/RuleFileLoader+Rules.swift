import Foundation
import Yams

extension RuleFileLoader {
    private static let ruleKeys = ["name", "when", "then", "from", "reason", "remainder", "note", "escalate"]

    /// A plain `~`, `null` or empty value: YAML's null, which a name must not be.
    static func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// One entry of `rules:`; also returns its parsed condition for the shadowing check.
    mutating func rule(_ node: Node, firstLine: inout [String: Int]) -> (CompiledRule, Expr?, SourcePosition)? {
        guard let entries = reader.mapping(node, "each rule") else { return nil }
        reader.checkKeys(entries, allowed: Self.ruleKeys, in: "a rule")
        let field = Dictionary(entries.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let line = reader.position(node).line
        var name = "rule at line \(line)"
        if let entry = field["name"], let text = reader.scalar(entry.value, "'name'") {
            name = text
            let at = reader.position(entry.value)
            if text.trimmingCharacters(in: .whitespaces).isEmpty || Self.isNull(entry.value) {
                // Decisions would carry the rule "~" or "": a name people cannot read or search.
                reader.sink.error("a rule's 'name' must be text, got \(Quote.short(text))", at: at)
            } else if text == "default" {
                reader.sink.error("'default' is reserved for the default section; rename this rule", at: at)
            } else if text == ManualDecision.rule {
                reader.sink.error("'manual' is reserved for decisions a person takes; rename this rule", at: at)
            } else if let first = firstLine[text] {
                reader.sink.error("duplicate rule name '\(text)'; the first is at line \(first)", at: at)
            } else {
                firstLine[text] = at.line
            }
        } else if field["name"] == nil {
            reader.sink.error("a rule needs a 'name'", at: reader.position(node))
        }
        var when: Eval?
        var expr: Expr?
        var whenAt = reader.position(node)
        if let entry = field["when"] {
            whenAt = reader.position(entry.value)
            (when, expr) = condition(entry.value)
        } else {
            reader.sink.error("rule '\(name)' needs a 'when' condition", at: reader.position(node))
        }
        let outcome = outcome(node, named: "rule '\(name)'")
        guard let when, let outcome else { return nil }
        return (CompiledRule(name: name, line: line, when: when, outcome: outcome), expr, whenAt)
    }

    private mutating func condition(_ node: Node) -> (Eval?, Expr?) {
        guard let scalar = node.scalar else {
            reader.sink.error("'when' must be an expression on one line or a block scalar", at: reader.position(node))
            return (nil, nil)
        }
        let text = scalar.string
        let expr: Expr
        do {
            expr = try Parser.parse(text)
        } catch {
            reader.sink.error(error.message, at: reader.locator.position(in: scalar, offset: error.span.start))
            return (nil, nil)
        }
        var compiler = Compiler(source: text, lists: lists)
        let eval = compiler.condition(expr, role: "a rule's 'when'")
        report(compiler, in: scalar)
        return (eval, expr)
    }

    private mutating func report(_ compiler: Compiler, in scalar: Node.Scalar, offset: Int = 0) {
        usedLists.formUnion(compiler.usedLists)
        for error in compiler.errors {
            reader.sink.error(error.message, at: reader.locator.position(in: scalar, offset: offset + error.span.start))
        }
    }

    /// The `then`, `reason`, `remainder` and `note` of a rule or of `default`.
    mutating func outcome(_ node: Node, named what: String) -> RuleOutcome? {
        guard let entries = reader.mapping(node, what) else { return nil }
        let field = Dictionary(entries.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        if what == "default" {
            reader.checkKeys(entries, allowed: ["then", "from", "reason", "remainder", "note"], in: "'default'")
        }
        guard let thenEntry = field["then"] else {
            reader.sink.error(
                "\(what) needs 'then: acknowledge | split | cancel | hold'", at: reader.position(node))
            return nil
        }
        guard let thenText = reader.scalar(thenEntry.value, "'then'") else { return nil }
        guard let decision = DecisionKind(rawValue: thenText) else {
            let hint = Suggest.hint(for: thenText, in: DecisionKind.allCases.map(\.rawValue))
            reader.sink.error(
                "unknown decision '\(thenText)'\(hint); use acknowledge, split, cancel or hold",
                at: reader.position(thenEntry.value))
            return nil
        }
        var ok = true
        var reason: DecisionReason?
        if let entry = field["reason"] {
            reason = self.reason(entry)
            if reason == nil { ok = false }
        } else if decision == .cancel {
            reader.sink.error("\(what) cancels but gives no 'reason'", at: reader.position(thenEntry.value))
            ok = false
        }
        var remainder: Remainder?
        if let entry = field["remainder"], let text = reader.scalar(entry.value, "'remainder'") {
            if decision != .split && decision != .cancel {
                reader.sink.error(
                    "'remainder' applies only to split and cancel, not \(decision.rawValue)",
                    at: reader.position(entry.keyNode))
                ok = false
            } else if let value = Remainder(rawValue: text) {
                remainder = value
            } else {
                reader.sink.error(
                    "unknown remainder '\(text)'\(Suggest.hint(for: text, in: ["fill", "kill"])); use fill or kill",
                    at: reader.position(entry.value))
                ok = false
            }
        }
        var fromInbound = false
        if let entry = field["from"], let text = reader.scalar(entry.value, "'from'") {
            if decision != .acknowledge && decision != .split {
                reader.sink.error(
                    "'from' applies only to acknowledge and split, not \(decision.rawValue)",
                    at: reader.position(entry.keyNode))
                ok = false
            } else if text == "inbound" {
                fromInbound = true
            } else if text != "shelf" {
                reader.sink.error(
                    "unknown 'from: \(text)'\(Suggest.hint(for: text, in: ["inbound", "shelf"])); use inbound (the "
                        + "shelf, then stock on its way that lands in time) or shelf (the default)",
                    at: reader.position(entry.value))
                ok = false
            }
        }
        var note: NoteTemplate?
        if let entry = field["note"], entry.value.scalar == nil {
            reader.sink.error(
                "'note' must be a single line of text, not a list or a mapping", at: reader.position(entry.value))
            ok = false
        }
        if let entry = field["note"], let scalar = entry.value.scalar {
            let lists = self.lists
            var errors: [(Compiler, Int)] = []
            note = NoteTemplate.parse(scalar.string) { text, offset in
                var compiler = Compiler(source: text, lists: lists)
                defer { errors.append((compiler, offset)) }
                return compiler.parseAndCompile(text)?.eval
            }
            for (compiler, offset) in errors { report(compiler, in: scalar, offset: offset) }
            if note == nil { ok = false }
        }
        var escalate: Escalation?
        if let entry = field["escalate"] {
            if decision != .hold {
                reader.sink.error(
                    "'escalate' applies only to hold, not \(decision.rawValue)", at: reader.position(entry.keyNode))
                ok = false
            } else {
                escalate = escalation(entry.value, in: what)
                if escalate == nil { ok = false }
            }
        }
        guard ok else { return nil }
        return RuleOutcome(
            decision: decision, reason: reason,
            remainder: remainder ?? (decision == .split || decision == .cancel ? .fill : nil), note: note,
            escalate: escalate, fromInbound: fromInbound)
    }

    /// `escalate: {after, before_ship_by, then, reason}` of a hold rule.
    private mutating func escalation(_ node: Node, in what: String) -> Escalation? {
        guard let entries = reader.mapping(node, "'escalate'") else { return nil }
        reader.checkKeys(entries, allowed: ["after", "before_ship_by", "then", "reason"], in: "'escalate'")
        let field = Dictionary(entries.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var ok = true
        func duration(_ key: String) -> TimeInterval? {
            guard let entry = field[key], let text = reader.scalar(entry.value, "'\(key)'") else { return nil }
            guard let seconds = Escalation.duration(text) else {
                reader.sink.error(
                    "bad duration \(Quote.short(text)) for '\(key)'; write 30m, 24h, 2d or 1w, at most 366d",
                    at: reader.position(entry.value))
                ok = false
                return nil
            }
            return seconds
        }
        let after = duration("after")
        let beforeShipBy = duration("before_ship_by")
        if ok, after == nil, beforeShipBy == nil {
            reader.sink.error(
                "\(what): 'escalate' needs 'after', 'before_ship_by' or both", at: reader.position(node))
            ok = false
        }
        var then: DecisionKind?
        if let entry = field["then"], let text = reader.scalar(entry.value, "'then'") {
            then = DecisionKind(rawValue: text)
            if then != .cancel && then != .acknowledge {
                reader.sink.error(
                    "escalate 'then' must be cancel or acknowledge, not '\(text)'", at: reader.position(entry.value))
                ok = false
            }
        } else if field["then"] == nil {
            reader.sink.error("\(what): 'escalate' needs 'then: cancel | acknowledge'", at: reader.position(node))
            ok = false
        }
        var reason: DecisionReason?
        if let entry = field["reason"] {
            reason = self.reason(entry)
            if reason == nil { ok = false }
        } else if then == .cancel {
            reader.sink.error("\(what): an escalation that cancels needs a 'reason'", at: reader.position(node))
            ok = false
        }
        guard ok, let then else { return nil }
        return Escalation(after: after, beforeShipBy: beforeShipBy, then: then, reason: reason)
    }

    /// A `reason:` value a rule file may name, or nil after reporting why not.
    private mutating func reason(_ entry: YAMLReader.Entry) -> DecisionReason? {
        guard let text = reader.scalar(entry.value, "'reason'") else { return nil }
        let reason = DecisionReason(rawValue: text).flatMap { DecisionReason.ruleFileReasons.contains($0) ? $0 : nil }
        if reason == nil {
            let all = DecisionReason.ruleFileReasons.map(\.rawValue)
            reader.sink.error(
                "unknown reason '\(text)'\(Suggest.hint(for: text, in: all)); use one of \(all.joined(separator: ", "))",
                at: reader.position(entry.value))
        }
        return reason
    }

    /// Warns about a rule that can never match because an earlier condition always wins:
    /// judged syntactically, an earlier rule is `true`, or each conjunct of one of its
    /// disjuncts is a conjunct of the later rule. Each earlier disjunct is filed under its
    /// least conjunct, so a file of thousands of rules is checked in near-linear time.
    mutating func warnShadowed(_ conditions: [(name: String, at: SourcePosition, expr: Expr?)]) {
        var filed: [String: [(index: Int, conjuncts: Set<String>)]] = [:]
        var alwaysTrue: Int?
        for (j, later) in conditions.enumerated() {
            guard let expr = later.expr else { continue }
            let have = Set(expr.conjuncts.map(\.canonical))
            var shadow = alwaysTrue
            for conjunct in have {
                for earlier in filed[conjunct] ?? [] where earlier.conjuncts.isSubset(of: have) {
                    shadow = min(shadow ?? earlier.index, earlier.index)
                }
            }
            if let shadow {
                let earlier = conditions[shadow]
                reader.sink.warning(
                    "rule '\(later.name)' can never match: rule '\(earlier.name)' (line \(earlier.at.line)) "
                        + "matches whenever it does", at: later.at)
            }
            if expr.kind == .literal(.bool(true)) {
                alwaysTrue = alwaysTrue ?? j
                continue
            }
            for disjunct in expr.disjuncts {
                let conjuncts = Set(disjunct.conjuncts.map(\.canonical))
                guard let key = conjuncts.min() else {
                    alwaysTrue = alwaysTrue ?? j
                    continue
                }
                filed[key, default: []].append((j, conjuncts))
            }
        }
    }
}
