import Foundation

/// Plain-text renderings of decisions for a terminal: a table and an explanation.
public enum DecisionText {
    /// One row per decision, fitted to `width` columns, then a summary line.
    public static func table(_ decisions: [FRDecision], skipped: Int = 0, width: Int = 80) -> String {
        let frWidth = max(8, min(14, decisions.map { $0.displayName.count }.max() ?? 8))
        let ruleWidth = max(7, min(24, decisions.map(\.rule.count).max() ?? 7))
        var out = pad("FR", frWidth) + "  " + pad("DECISION", 11) + "  " + pad("RULE", ruleWidth) + "  DETAIL\n"
        for d in decisions {
            let left =
                pad(d.displayName, frWidth) + "  " + pad(d.decision.rawValue.uppercased(), 11) + "  "
                + pad(d.rule, ruleWidth) + "  "
            let room = max(10, width - left.count)
            out += left + fit(detail(d), room) + "\n"
        }
        out += summary(decisions, skipped: skipped) + "\n"
        return out
    }

    /// `11 FRs: 5 acknowledge, 1 split, 3 cancel, 2 hold`.
    public static func summary(_ decisions: [FRDecision], skipped: Int = 0) -> String {
        let counts = DecisionKind.allCases.map { kind in
            "\(decisions.filter { $0.decision == kind }.count) \(kind.rawValue)"
        }
        var text = "\(decisions.count) FR\(decisions.count == 1 ? "" : "s"): " + counts.joined(separator: ", ")
        if skipped > 0 { text += "; \(skipped) FR\(skipped == 1 ? "" : "s") skipped (malformed or repeated)" }
        return text
    }

    /// The short reason a row shows: cancel reason, note, and split quantities.
    public static func detail(_ d: FRDecision) -> String {
        var parts: [String] = []
        let acknowledged = d.lines.reduce(0) { $0 + $1.acknowledged }
        let cancelled = d.lines.reduce(0) { $0 + $1.cancelled }
        switch d.decision {
        case .acknowledge: parts.append("\(acknowledged) unit\(acknowledged == 1 ? "" : "s")")
        case .split: parts.append("ship \(acknowledged), cancel \(cancelled) (\(d.remainder?.rawValue ?? "fill"))")
        case .cancel:
            parts.append(
                [d.reason?.rawValue, d.remainder.map { "(\($0.rawValue))" }].compactMap { $0 }.joined(separator: " "))
        case .hold: break
        }
        if let note = d.note { parts.append(note) }
        return parts.filter { !$0.isEmpty }.joined(separator: " · ")
    }

    /// Why an FR got its decision: the outcome, the lines, every rule tried with its checks, and key facts.
    public static func explain(_ d: FRDecision, zone: TimeZone) -> String {
        var out = "\(d.displayName) (id \(d.frId)) → \(d.decision.rawValue.uppercased()) by rule \(d.rule)"
        if let person = d.decidedBy { out += " (decided by \(person))" }
        if let reason = d.reason { out += ", reason \(reason.rawValue)" }
        if let remainder = d.remainder, d.decision == .split || d.decision == .cancel {
            out += ", remainder \(remainder.rawValue)"
        }
        out += "\n"
        if let note = d.note { out += "  note: \(note)\n" }
        if let until = d.holdUntil { out += "  held until: \(Timestamp.string(until, in: zone))\n" }
        for line in d.lines {
            out +=
                "  line \(line.sku ?? "?") × \(line.quantity): acknowledged \(line.acknowledged), cancelled \(line.cancelled)\n"
        }
        out += "  why:\n"
        for line in d.trace.lines { out += "    \(line)\n" }
        out += "  facts:\n"
        for line in factLines(d, zone: zone) { out += "    \(line)\n" }
        return out
    }

    static func factLines(_ d: FRDecision, zone: TimeZone) -> [String] {
        let f = d.facts
        let a = f.address
        let place = [a.city, a.state, a.postal, a.country].compactMap { $0 }.joined(separator: " ")
        var flags: [String] = []
        if a.poBox { flags.append("PO box") }
        if a.military { flags.append("military") }
        flags.append(a.domestic ? "domestic" : "international")
        let problems = a.problems.isEmpty ? "valid" : "problems: " + a.problems.joined(separator: ", ")
        func from(_ allocations: [LinePlan.Allocation]) -> String {
            let text = allocations.map { "\($0.quantity)@\($0.location)" }.joined(separator: "+")
            return text.isEmpty ? "" : " from \(text)"
        }
        let stock = d.stockPlan.lines.map { line in
            var text = "\(line.sku ?? "?") \(line.promised)/\(line.quantity)"
            guard let components = line.components else {
                return text + "\(from(line.allocations)) (available \(line.available))"
            }
            // A kit: its components, and which one limits it.
            let parts = components.map {
                "\($0.perKit) × \($0.sku)\(from($0.allocations)) (enough for \($0.available))"
            }
            text += " kits (available \(line.available); each \(parts.joined(separator: ", "))"
            if let limit = line.limitingComponent { text += "; limited by \(limit.sku)" }
            return text + ")"
        }
        var lines = [
            "now \(Timestamp.string(f.now, in: zone))",
            "address \(place.isEmpty ? "(none)" : place) · \(flags.joined(separator: ", ")) · \(problems)",
            "stock fill \(Value.decimalText((f.stock.fillRate * 100).rounded()))% · \(f.stock.missingUnits) missing · "
                + "\(f.stock.locationsNeeded) location\(f.stock.locationsNeeded == 1 ? "" : "s"): "
                + stock.joined(separator: "; "),
            "ship earliest \(Timestamp.string(f.ship.earliest, in: zone)) · "
                + (f.ship.meetsShipBy
                    ? "meets ship-by"
                    : "misses ship-by by \(f.ship.daysLate) ship day\(f.ship.daysLate == 1 ? "" : "s")"),
        ]
        if let inbound = f.inbound, !f.stock.coversAll {
            let inTime = inbound.inTime
            let landing = inbound.lines.flatMap(\.arrivals).map {
                "\($0.quantity) land \(HumanTime.day($0.expectedAt, zone: zone)) at \($0.location)"
            }
            lines.append(
                "on its way: \(inTime) unit\(inTime == 1 ? "" : "s") in time"
                    + (landing.isEmpty ? "" : " (" + landing.joined(separator: ", ") + ")") + " · "
                    + (inbound.coversAllInTime ? "covers all in time" : "does not cover all in time") + " · "
                    + (inbound.readyAt.map { "ready \(Timestamp.string($0, in: zone))" } ?? "cannot be completed"))
        }
        return lines
    }

    static func pad(_ text: String, _ width: Int) -> String {
        let fitted = fit(text, width)
        return fitted + String(repeating: " ", count: max(0, width - fitted.count))
    }

    static func fit(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(max(0, width - 1))) + "…"
    }
}

extension FRDecision {
    /// The FR number, else `#id`.
    public var displayName: String { frNumber ?? "#\(frId)" }
}
