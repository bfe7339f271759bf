// Rules: the rule language: lexer, parser, compiler, the fact catalog and the rule set that decides.

import Foundation

/// What a rule tells the agent to do with an FR.
public enum DecisionKind: String, Sendable, Codable, CaseIterable {
    case acknowledge, split, cancel, hold
}

/// Why an FR (or part of it) is cancelled; Flxpoint-facing vocabulary.
public enum DecisionReason: String, Sendable, Codable, CaseIterable {
    case outOfStock = "out_of_stock"
    case addressInvalid = "address_invalid"
    case cannotMeetShipBy = "cannot_meet_ship_by"
    case restrictedDestination = "restricted_destination"
    case discontinued
    case duplicate
    case other
    /// Set by the agent, not by rules: a safety guard turned a cancel into a hold.
    case guardHold = "guard"

    /// The reasons a rule file may name.
    public static let ruleFileReasons = allCases.filter { $0 != .guardHold }
}

/// What happens to cancelled quantity: `fill` lets Flxpoint route it elsewhere, `kill` ends it.
public enum Remainder: String, Sendable, Codable, CaseIterable {
    case fill, kill
}

/// The warehouse calendar from the rule file.
public struct WarehouseCalendar: Sendable, Equatable {
    /// Two months of ship days: past any warehouse's promise, and each is a calendar step.
    public static let maxHandlingDays = 60

    /// The warehouse's time zone: cut-off, ship days and holidays are local to it.
    public var timeZone: TimeZone
    /// Minutes after local midnight; a decision at or after it ships the next ship day.
    public var cutoffMinute: Int
    /// Ship days between picking up an FR and it leaving the dock.
    public var handlingDays: Int
    /// ISO weekdays, 1 = Monday.
    public var shipDays: Set<Int>
    /// Days the warehouse does not ship, in its time zone.
    public var holidays: Set<LocalDate>
    /// ISO alpha-2 country the warehouse ships from, for `address.domestic`.
    public var country: String

    /// A `WarehouseCalendar` from its parts.
    public init(
        timeZone: TimeZone, cutoffMinute: Int = 24 * 60, handlingDays: Int = 0, shipDays: Set<Int> = [1, 2, 3, 4, 5],
        holidays: Set<LocalDate> = [], country: String = "US"
    ) {
        self.timeZone = timeZone
        self.country = country
        self.cutoffMinute = cutoffMinute
        self.handlingDays = handlingDays
        self.shipDays = shipDays
        self.holidays = holidays
    }
}

/// Stock policy from the rule file.
public struct StockPolicy: Sendable, Equatable {
    /// Units per SKU never promised.
    public var safetyStock: Int
    /// Preference order when one location can cover an FR.
    public var locations: [String]

    /// A `StockPolicy` from its parts.
    public init(safetyStock: Int = 0, locations: [String] = []) {
        self.safetyStock = safetyStock
        self.locations = locations
    }
}

/// Safety guards from the rule file.
public struct Guards: Sendable, Equatable {
    /// A cycle that would cancel more than this share of its FRs holds those cancels instead.
    public var maxCancelShare: Double?
    /// The guard applies only to cycles with at least this many FRs.
    public var minCycleSize: Int

    /// A `Guards` from its parts.
    public init(maxCancelShare: Double? = nil, minCycleSize: Int = 10) {
        self.maxCancelShare = maxCancelShare
        self.minCycleSize = minCycleSize
    }
}

/// The `then` side of a rule.
struct RuleOutcome: Sendable {
    var decision: DecisionKind
    var reason: DecisionReason?
    var remainder: Remainder?
    var note: NoteTemplate?
    /// Only on `hold` rules.
    var escalate: Escalation?
    /// `from: inbound`: promise stock on its way that lands in time, after the shelf's.
    var fromInbound = false
}

/// A rule after checking: its condition compiled to a closure.
struct CompiledRule: Sendable {
    var name: String
    var line: Int
    var when: Eval
    var outcome: RuleOutcome
}

/// A checked, compiled rule file. Evaluating it cannot fail.
public struct RuleSet: Sendable {
    /// The ship-day calendar the `ship.*` facts are computed with.
    public let calendar: WarehouseCalendar
    /// Safety stock and location order, for the stock plan.
    public let stockPolicy: StockPolicy
    /// The cancel guard.
    public let guards: Guards
    /// The rule names in order, then `default`.
    public let ruleNames: [String]
    /// SHA-256 of the file's bytes, stored with every decision.
    public let sha256: String
    let rules: [CompiledRule]
    let fallback: CompiledRule

    init(
        calendar: WarehouseCalendar, stockPolicy: StockPolicy, guards: Guards, rules: [CompiledRule],
        fallback: CompiledRule, sha256: String
    ) {
        self.calendar = calendar
        self.stockPolicy = stockPolicy
        self.guards = guards
        self.rules = rules
        self.fallback = fallback
        self.sha256 = sha256
        self.ruleNames = rules.map(\.name) + [fallback.name]
    }

    /// The `escalate:` of the hold rule named `rule`, if it has one.
    public func escalation(ofRule rule: String) -> Escalation? {
        (rules.first { $0.name == rule } ?? (fallback.name == rule ? fallback : nil))?.outcome.escalate
    }
}

/// The outcome of loading a rule file: the rule set when there was no error, and every diagnostic.
public struct RuleLoadResult: Sendable {
    /// The rule set, when the file has no error.
    public let ruleSet: RuleSet?
    /// Every error and warning, in file order.
    public let diagnostics: [Diagnostic]

    /// The diagnostics that stop the file from loading.
    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    /// The diagnostics that let it load (`rules check --strict` refuses them too).
    public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
}
