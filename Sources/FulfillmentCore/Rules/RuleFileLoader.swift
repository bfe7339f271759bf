import Foundation
import Yams

extension RuleSet {
    /// The newest rule file version this build understands.
    public static let supportedVersion = 1

    /// Parses, checks and compiles a rule file. `path` is only used in diagnostics.
    public static func load(contents: String, path: String) -> RuleLoadResult {
        var loader = RuleFileLoader(source: contents, path: path)
        let ruleSet = loader.load()
        loader.reader.sink.sort()
        let diagnostics = loader.reader.sink.diagnostics
        return RuleLoadResult(ruleSet: loader.reader.sink.hasErrors ? nil : ruleSet, diagnostics: diagnostics)
    }
}

/// Walks the YAML of a rule file section by section.
struct RuleFileLoader {
    var reader: YAMLReader
    var lists = RuleLists()
    var listNodes: [(String, Node)] = []
    var usedLists: Set<String> = []

    init(source: String, path: String) {
        reader = YAMLReader(source: source, path: path)
    }

    private static let topKeys = ["version", "warehouse", "stock", "lists", "guards", "rules", "default"]
    private static let weekdays = ["mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7]

    mutating func load() -> RuleSet? {
        guard let root = reader.root() else { return nil }
        reader.checkKeys(root, allowed: Self.topKeys, in: "the rule file")
        let section = Dictionary(root.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        guard checkVersion(section["version"]) else { return nil }

        var calendar = WarehouseCalendar(timeZone: TimeZone(identifier: "UTC")!)
        if let entry = section["warehouse"] {
            calendar = warehouse(entry.value) ?? calendar
        } else {
            reader.sink.warning(
                "no 'warehouse' section: the calendar uses UTC, ships Monday to Friday and has no cutoff",
                at: SourcePosition(line: 1, column: 1))
        }
        let stock = section["stock"].flatMap { stockPolicy($0.value) } ?? StockPolicy()
        if let entry = section["lists"] { readLists(entry.value) }
        let guards = section["guards"].flatMap { readGuards($0.value) } ?? Guards()

        var rules: [CompiledRule] = []
        var conditions: [(name: String, at: SourcePosition, expr: Expr?)] = []
        if let entry = section["rules"] {
            if let sequence = entry.value.sequence {
                var firstLine: [String: Int] = [:]
                for node in sequence {
                    guard let (rule, expr, at) = rule(node, firstLine: &firstLine) else { continue }
                    rules.append(rule)
                    conditions.append((rule.name, at, expr))
                }
            } else {
                reader.sink.error(
                    "'rules' must be a list of rules, each starting with '- name:'", at: reader.position(entry.value))
            }
        } else {
            reader.sink.error("the rule file has no 'rules' section", at: SourcePosition(line: 1, column: 1))
        }
        warnShadowed(conditions)

        var fallback = CompiledRule(
            name: "default", line: 0, when: { _ in .bool(true) },
            outcome: RuleOutcome(
                decision: .hold, reason: nil, remainder: nil,
                note: NoteTemplate(parts: [.text("no rule matched and the rule file has no default")])))
        if let entry = section["default"] {
            if let outcome = outcome(entry.value, named: "default") {
                fallback = CompiledRule(
                    name: "default", line: reader.position(entry.keyNode).line, when: { _ in .bool(true) },
                    outcome: outcome)
            }
        } else {
            reader.sink.warning(
                "no 'default': an FR that matches no rule is held for a person",
                at: section["rules"].map { reader.position($0.keyNode) } ?? SourcePosition(line: 1, column: 1))
        }
        for (name, node) in listNodes where !usedLists.contains(name) {
            reader.sink.warning("list '\(name)' is never used", at: reader.position(node))
        }
        return RuleSet(
            calendar: calendar, stockPolicy: stock, guards: guards, rules: rules, fallback: fallback,
            sha256: SHA256.hex(Array(reader.source.utf8)))
    }

    private mutating func checkVersion(_ entry: YAMLReader.Entry?) -> Bool {
        guard let entry else {
            reader.sink.error(
                "missing 'version: 1' at the top of the rule file", at: SourcePosition(line: 1, column: 1))
            return false
        }
        guard let version = reader.int(entry.value, "'version'", min: 1, max: 1_000) else { return false }
        if version > RuleSet.supportedVersion {
            reader.sink.error(
                "rule file version \(version) is newer than this source-agent understands "
                    + "(\(RuleSet.supportedVersion)); upgrade source-agent", at: reader.position(entry.value))
            return false
        }
        return true
    }

    private mutating func warehouse(_ node: Node) -> WarehouseCalendar? {
        guard let entries = reader.mapping(node, "'warehouse'") else { return nil }
        reader.checkKeys(
            entries, allowed: ["timezone", "cutoff", "handling_days", "ship_days", "holidays", "country"],
            in: "'warehouse'")
        var calendar = WarehouseCalendar(timeZone: TimeZone(identifier: "UTC")!)
        var sawZone = false
        for entry in entries {
            let at = reader.position(entry.value)
            switch entry.key {
            case "timezone":
                // IANA names are short; a long value gets no suggestion search.
                guard let name = reader.scalar(entry.value, "'timezone'", maxLength: 64) else { continue }
                if let zone = TimeZone(identifier: name), name.contains("/") || name == "UTC" {
                    calendar.timeZone = zone
                    sawZone = true
                } else {
                    let hint = Suggest.hint(for: name, in: TimeZone.knownTimeZoneIdentifiers)
                    reader.sink.error(
                        "unknown time zone \(Quote.short(name))\(hint); use an IANA name such as America/Chicago",
                        at: at)
                }
            case "cutoff":
                guard let text = reader.scalar(entry.value, "'cutoff'") else { continue }
                let parts = text.split(separator: ":")
                if parts.count == 2, parts[0].count <= 2, parts[1].count == 2, let h = Int(parts[0]),
                    let m = Int(parts[1]),
                    (0..<24).contains(h), (0..<60).contains(m)
                {
                    calendar.cutoffMinute = h * 60 + m
                } else {
                    reader.sink.error(
                        "cutoff must be a time of day such as \"14:00\", got \(Quote.short(text))", at: at)
                }
            case "country":
                guard let text = reader.scalar(entry.value, "'country'") else { continue }
                if let code = AddressCheck.normalizeCountry(code: text, name: text) {
                    calendar.country = code
                } else {
                    reader.sink.error("unknown country \(Quote.short(text)); use an ISO code such as US", at: at)
                }
            case "handling_days":
                // Two months of handling is past any warehouse's promise; each day is a calendar step.
                calendar.handlingDays =
                    reader.int(entry.value, "'handling_days'", max: WarehouseCalendar.maxHandlingDays) ?? 0
            case "ship_days":
                guard let days = reader.scalarList(entry.value, "'ship_days'") else { continue }
                var set = Set<Int>()
                for (text, dayNode) in days {
                    if let day = Self.weekdays[text.lowercased().prefix(3).description], text.count >= 3 {
                        set.insert(day)
                    } else {
                        reader.sink.error(
                            "unknown weekday \(Quote.short(text)); use mon, tue, wed, thu, fri, sat, sun",
                            at: reader.position(dayNode))
                    }
                }
                if days.isEmpty {
                    reader.sink.error("ship_days needs at least one day", at: at)
                } else if !set.isEmpty {
                    calendar.shipDays = set
                }
            case "holidays":
                guard let days = reader.scalarList(entry.value, "'holidays'") else { continue }
                for (text, dayNode) in days {
                    if let day = LocalDate(text) {
                        calendar.holidays.insert(day)
                    } else {
                        reader.sink.error(
                            "holiday \(Quote.short(text)) is not a date YYYY-MM-DD", at: reader.position(dayNode))
                    }
                }
            default: break
            }
        }
        if !sawZone, !entries.contains(where: { $0.key == "timezone" }) {
            reader.sink.warning("no warehouse 'timezone': the calendar uses UTC", at: reader.position(node))
        }
        return calendar
    }

    private mutating func stockPolicy(_ node: Node) -> StockPolicy? {
        guard let entries = reader.mapping(node, "'stock'") else { return nil }
        reader.checkKeys(entries, allowed: ["safety_stock", "locations"], in: "'stock'")
        var policy = StockPolicy()
        for entry in entries {
            switch entry.key {
            case "safety_stock":
                policy.safetyStock = reader.int(entry.value, "'safety_stock'", max: StockCSV.maxOnHand) ?? 0
            case "locations": policy.locations = reader.scalarList(entry.value, "'locations'")?.map(\.0) ?? []
            default: break
            }
        }
        return policy
    }

    private mutating func readLists(_ node: Node) {
        guard let entries = reader.mapping(node, "'lists'") else { return }
        for entry in entries {
            guard entry.key.range(of: "^[A-Za-z_][A-Za-z0-9_]*$", options: .regularExpression) != nil else {
                reader.sink.error(
                    "list name '\(entry.key)' must be letters, digits and _ so rules can say lists.\(entry.key)",
                    at: reader.position(entry.keyNode))
                continue
            }
            guard let values = reader.scalarList(entry.value, "list '\(entry.key)'") else { continue }
            let texts = values.map(\.0)
            let value: Value
            let type: ValueType
            if !texts.isEmpty, texts.allSatisfy({ Int($0) != nil }) {
                (type, value) = (.list(.int), .list(texts.compactMap { Int($0) }.map(Value.int)))
            } else {
                (type, value) = (.list(.string), .list(texts.map(Value.string)))
            }
            lists.values[entry.key] = (type, value)
            listNodes.append((entry.key, entry.keyNode))
        }
    }

    private mutating func readGuards(_ node: Node) -> Guards? {
        guard let entries = reader.mapping(node, "'guards'") else { return nil }
        reader.checkKeys(entries, allowed: ["max_cancel_share", "min_cycle_size"], in: "'guards'")
        var guards = Guards()
        for entry in entries {
            switch entry.key {
            case "max_cancel_share":
                guards.maxCancelShare = reader.double(entry.value, "'max_cancel_share'", range: 0...1)
            case "min_cycle_size":
                guards.minCycleSize =
                    reader.int(entry.value, "'min_cycle_size'", min: 1, max: 1_000_000) ?? 10
            default: break
            }
        }
        return guards
    }
}
