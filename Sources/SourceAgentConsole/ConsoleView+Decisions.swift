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

    /// The decision list: a page of rows, the filter as given, links to older and newest.
    struct Decisions: Sendable {
        var rows: [Row]
        var filterDecision: String
        var filterRule: String
        var filterReason: String
        var filterSku: String
        var filterFr: String
        var filterPerson: String
        var filterWithin: String
        var decisionKinds: [Option]
        var reasonOptions: [Option]
        var windows: [Option]
        var older: String?
        var newest: String?
        var narrowed: Bool

        /// One decision.
        struct Row: Sendable {
            var id: Int64
            var frId: Int
            var name: String
            var at: String
            var decision: String
            var rule: String
            var reason: String
            var skus: String
            var answer: String
            var by: String
        }

        /// A choice of a filter's select.
        struct Option: Sendable {
            var value: String
            var title: String
            var selected: Bool
        }
    }

    func decisions(query: [String: String], person: ConsoleAccess.Person, source: SourceRuntime, now: Date)
        async throws -> Shown
    {
        let filter = Self.decisionFilter(query, now: now)
        let before = query["before"].flatMap { Int64($0) }
        let found = try await source.database.decisionPage(filter, beforeId: before, limit: Self.decisionsPerPage)
        let zone = await source.rules.current.calendar.timeZone
        let within = query["within"].flatMap { value in Self.windows.first { $0.value == value }?.value } ?? "7d"
        func options(_ values: [String], selected: String) -> [Decisions.Option] {
            ([""] + values).map { .init(value: $0, title: $0.isEmpty ? "any" : $0, selected: $0 == selected) }
        }
        var page = Decisions(
            rows: found.map { id, row in
                Decisions.Row(
                    id: id, frId: row.frId, name: row.frNumber ?? "#\(row.frId)",
                    at: Self.localTime(row.decidedAt, zone: zone), decision: row.decision, rule: row.rule,
                    reason: row.reason ?? "", skus: row.skus.joined(separator: ", "),
                    answer: row.answer ?? (row.decision == "hold" ? "—" : ""), by: row.decidedBy ?? "")
            },
            filterDecision: filter.decision?.rawValue ?? "", filterRule: filter.rule ?? "",
            filterReason: filter.reason?.rawValue ?? "", filterSku: filter.sku ?? "", filterFr: filter.fr ?? "",
            filterPerson: filter.person ?? "", filterWithin: within,
            decisionKinds: options(DecisionKind.allCases.map(\.rawValue), selected: filter.decision?.rawValue ?? ""),
            reasonOptions: options(DecisionReason.allCases.map(\.rawValue), selected: filter.reason?.rawValue ?? ""),
            windows: Self.windows.map { .init(value: $0.value, title: $0.title, selected: $0.value == within) },
            narrowed: !filter.isEmpty || before != nil)
        // Links keep the filter; the query string is built from the filter's own values.
        let kept: [(String, String)] = [
            ("decision", page.filterDecision), ("rule", page.filterRule), ("reason", page.filterReason),
            ("sku", page.filterSku),
            ("fr", page.filterFr), ("person", page.filterPerson), ("within", within),
        ]
        let filterQuery = ([("source", source.name)] + kept.filter { !$0.1.isEmpty })
            .map { "\($0.0)=\(Self.queryEscape($0.1))" }.joined(separator: "&")
        if found.count == Self.decisionsPerPage, let last = found.last?.id {
            page.older = "/decisions?\(filterQuery)&before=\(last)"
        }
        if before != nil { page.newest = "/decisions?\(filterQuery)" }
        let title = sources.count > 1 ? "Decisions: \(source.name)" : "Decisions"
        return Shown(.decisions, frame(title: title, person: person, source: source), page)
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
