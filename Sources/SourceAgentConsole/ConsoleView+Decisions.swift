import AgentStore
import Foundation
import FulfillmentCore
import SourceAgent

/// The decision list and an FR's page: what `explain` and the report say, laid out to read.
extension ConsoleView {
    /// Decisions shown per page of the list.
    static let decisionsPerPage = 50

    /// The time windows the list offers, by their query value.
    static let windows: [(value: String, title: String, seconds: TimeInterval?)] = [
        ("1h", "last hour", 3600), ("24h", "last 24 hours", 86_400), ("7d", "last 7 days", 7 * 86_400),
        ("30d", "last 30 days", 30 * 86_400), ("all", "any time", nil),
    ]

    /// The filter a request's query names; unknown values are left out (and shown as not applied).
    static func decisionFilter(_ query: [String: String], now: Date) -> DecisionFilter {
        func text(_ key: String) -> String? {
            query[key].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        var filter = DecisionFilter(
            decision: text("decision").flatMap(DecisionKind.init(rawValue:)), rule: text("rule"),
            reason: text("reason").flatMap(DecisionReason.init(rawValue:)), sku: text("sku"), fr: text("fr"),
            person: text("person"))
        if let window = windows.first(where: { $0.value == (text("within") ?? "7d") }), let seconds = window.seconds {
            filter.since = now.addingTimeInterval(-seconds)
        }
        return filter
    }

    func decisions(query: [String: String], person: ConsoleAccess.Person, source: SourceRuntime, now: Date)
        async throws -> [String: Any]
    {
        let filter = Self.decisionFilter(query, now: now)
        let before = query["before"].flatMap { Int64($0) }
        let page = try await source.database.decisionPage(filter, beforeId: before, limit: Self.decisionsPerPage)
        let zone = await source.rules.current.calendar.timeZone
        var context = base(
            title: sources.count > 1 ? "Decisions: \(source.name)" : "Decisions", person: person, source: source)
        context["rows"] = page.map { id, row -> [String: Any] in
            [
                "id": id, "frId": row.frId, "name": row.frNumber ?? "#\(row.frId)",
                "at": Self.localTime(row.decidedAt, zone: zone), "decision": row.decision, "rule": row.rule,
                "reason": row.reason ?? "", "skus": row.skus.joined(separator: ", "),
                "answer": row.answer ?? (row.decision == "hold" ? "—" : ""), "by": row.decidedBy ?? "",
            ]
        }
        let within = query["within"].flatMap { value in Self.windows.first { $0.value == value }?.value } ?? "7d"
        let kept: [(String, String)] = [
            ("decision", filter.decision?.rawValue ?? ""), ("rule", filter.rule ?? ""),
            ("reason", filter.reason?.rawValue ?? ""), ("sku", filter.sku ?? ""), ("fr", filter.fr ?? ""),
            ("person", filter.person ?? ""), ("within", within),
        ]
        for (key, value) in kept { context["f_" + key] = value }
        context["decisionKinds"] = ([""] + DecisionKind.allCases.map(\.rawValue)).map {
            ["value": $0, "title": $0.isEmpty ? "any" : $0, "selected": $0 == (filter.decision?.rawValue ?? "")]
                as [String: Any]
        }
        context["reasonOptions"] = ([""] + DecisionReason.allCases.map(\.rawValue)).map {
            ["value": $0, "title": $0.isEmpty ? "any" : $0, "selected": $0 == (filter.reason?.rawValue ?? "")]
                as [String: Any]
        }
        context["windows"] = Self.windows.map {
            ["value": $0.value, "title": $0.title, "selected": $0.value == within] as [String: Any]
        }
        // Links keep the filter; the query string is built from the filter's own values.
        let filterQuery = ([("source", source.name)] + kept.filter { !$0.1.isEmpty })
            .map { "\($0.0)=\(Self.queryEscape($0.1))" }.joined(separator: "&")
        if page.count == Self.decisionsPerPage, let last = page.last?.id {
            context["older"] = "/decisions?\(filterQuery)&before=\(last)"
        }
        if before != nil { context["newest"] = "/decisions?\(filterQuery)" }
        context["narrowed"] = !filter.isEmpty || before != nil
        return context
    }

    /// An instant as the warehouse reads it: in the rule file's time zone.
    static func localTime(_ date: Date, zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(
            format: "%04d-%02d-%02d %02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }

    static func queryEscape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
