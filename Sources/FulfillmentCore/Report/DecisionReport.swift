// Report: the decision report's rows and summary, and the formats it is written in.

import Foundation

/// One decision as the report shows it.
public struct ReportRow: Sendable, Equatable, Codable {
    /// The FR decided.
    public var frId: Int
    /// Its number, for people.
    public var frNumber: String?
    /// The retailer's order number.
    public var order: String?
    /// When it was decided.
    public var decidedAt: Date
    /// What was decided.
    public var decision: String
    /// The rule that decided it.
    public var rule: String
    /// Why, for a cancel.
    public var reason: String?
    /// The decision's note.
    public var note: String?
    /// The SKUs of the lines, in order.
    public var skus: [String]
    /// Units answered as shipping.
    public var acknowledged: Int
    /// Units answered as cancelled.
    public var cancelled: Int
    /// The answer's state (`pending`, `done`, `failed`, `withdrawn`); nil for a hold.
    public var answer: String?
    /// FR sent by Flxpoint → answer confirmed, in seconds.
    public var answerLatency: Double?
    /// The recipient and city, as the FR gave them.
    public var shipTo: String?
    /// Answer confirmed → first shipment, in seconds.
    public var shipLatency: Double?
    /// Acknowledged (answer confirmed) when, for "acknowledged but not shipped".
    public var confirmedAt: Date?
    /// A shipment was recorded for the FR.
    public var shipped: Bool
    /// A hold rule's escalation took the decision.
    public var escalated: Bool
    /// The person behind a `manual` decision.
    public var decidedBy: String?

    /// A `ReportRow` from its parts.
    public init(
        frId: Int, frNumber: String?, order: String?, decidedAt: Date, decision: String, rule: String, reason: String?,
        note: String?, skus: [String], acknowledged: Int, cancelled: Int, answer: String?, answerLatency: Double?,
        shipTo: String?, shipLatency: Double?, confirmedAt: Date?, shipped: Bool, escalated: Bool
    ) {
        self.frId = frId
        self.frNumber = frNumber
        self.order = order
        self.decidedAt = decidedAt
        self.decision = decision
        self.rule = rule
        self.reason = reason
        self.note = note
        self.skus = skus
        self.acknowledged = acknowledged
        self.cancelled = cancelled
        self.answer = answer
        self.answerLatency = answerLatency
        self.shipTo = shipTo
        self.shipLatency = shipLatency
        self.confirmedAt = confirmedAt
        self.shipped = shipped
        self.escalated = escalated
    }
}

/// p50, p95 and max of a set of durations, in seconds.
public struct LatencyStats: Sendable, Equatable, Codable {
    /// How many values.
    public var count: Int
    /// The median, in seconds.
    public var p50: Double
    /// The 95th percentile, in seconds.
    public var p95: Double
    /// The longest, in seconds.
    public var max: Double

    /// Nearest-rank percentiles; nil for no values.
    public init?(_ values: [Double]) {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        func rank(_ p: Double) -> Double { sorted[Swift.max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1)] }
        count = sorted.count
        p50 = rank(0.5)
        p95 = rank(0.95)
        max = sorted[sorted.count - 1]
    }
}

/// The report's summary of a window.
public struct ReportSummary: Sendable, Equatable, Codable {
    /// Start of the reported window, if bounded.
    public var since: Date?
    /// End of the reported window, if bounded.
    public var until: Date?
    /// FRs first seen in the window.
    public var frsReceived = 0
    /// Decisions taken in the window.
    public var decisions = 0
    /// Decisions by kind.
    public var byKind: [String: Int] = [:]
    /// Decisions by rule.
    public var byRule: [String: Int] = [:]
    /// Cancels by reason.
    public var byReason: [String: Int] = [:]
    /// Cancels among answering decisions (acknowledge, split, cancel).
    public var cancelShare: Double = 0
    /// From an FR's creation to its answer.
    public var answerLatency: LatencyStats?
    /// From an FR's answer to its first shipment.
    public var shipLatency: LatencyStats?
    /// FRs acknowledged more than two days ago and not shipped.
    public var acknowledgedNotShipped2d = 0
    /// FRs on hold at the end of the window.
    public var holdsOpen = 0
    /// Age of the oldest open hold.
    public var oldestHoldAgeSeconds: Double?
    /// Decisions an escalation took.
    public var escalations = 0
    /// Answers Flxpoint refused for good.
    public var answersFailed = 0
    /// Answers withdrawn before they were sent.
    public var answersWithdrawn = 0
    /// Cycles whose guard tripped.
    public var guardTrips = 0
    /// Day (UTC, `YYYY-MM-DD`) → decision kind → count.
    public var perDay: [String: [String: Int]] = [:]
    /// Answer latency bucket label → count, in `LatencyBuckets.labels` order.
    public var latencyBuckets: [String: Int] = [:]
    /// FRs holding units promised from stock on its way now; nil (not written) when none do.
    public var onItsWay: OnItsWay?

    /// FRs promised against stock on its way, and those whose arrival no longer lands in time.
    public struct OnItsWay: Sendable, Equatable, Codable {
        /// FRs holding units of an arrival.
        public var frs: Int
        /// Units they hold so.
        public var units: Int
        /// FRs among them whose arrival moved past their ship-by; nil when not checked (no calendar).
        public var slipped: Int?

        /// An `OnItsWay` from its parts.
        public init(frs: Int, units: Int, slipped: Int?) {
            self.frs = frs
            self.units = units
            self.slipped = slipped
        }
    }

    /// A `ReportSummary` from its parts.
    public init() {}
}

/// Answer latency buckets for the distribution chart.
public enum LatencyBuckets {
    /// Age buckets of open holds, each with its upper bound in seconds.
    public static let bounds: [(label: String, upTo: Double)] = [
        ("< 1 min", 60), ("1–5 min", 300), ("5–15 min", 900), ("15–60 min", 3600), ("1–4 h", 14_400),
        ("4–24 h", 86_400), ("> 24 h", .infinity),
    ]
    /// The buckets' labels, youngest first.
    public static var labels: [String] { bounds.map(\.label) }

    /// The age bucket `seconds` falls in.
    public static func label(for seconds: Double) -> String {
        bounds.first { seconds < $0.upTo }?.label ?? bounds[bounds.count - 1].label
    }
}

/// Builds the summary from the rows as they stream past; only the latencies are kept.
public struct ReportSummaryBuilder: Sendable {
    /// The figures so far.
    public private(set) var summary = ReportSummary()
    private var answerLatencies: [Double] = []
    private var shipLatencies: [Double] = []
    private var answering = 0
    private var cancels = 0
    private let asOf: Date

    /// `asOf`: the end of the window (or now), for "acknowledged but not shipped after 2 days".
    public init(since: Date?, until: Date?, asOf: Date) {
        summary.since = since
        summary.until = until
        self.asOf = asOf
    }

    /// Counts one decision into the summary.
    public mutating func add(_ row: ReportRow) {
        summary.decisions += 1
        summary.byKind[row.decision, default: 0] += 1
        summary.byRule[row.rule, default: 0] += 1
        if let reason = row.reason { summary.byReason[reason, default: 0] += 1 }
        summary.perDay[Self.day(row.decidedAt), default: [:]][row.decision, default: 0] += 1
        if row.decision != DecisionKind.hold.rawValue { answering += 1 }
        if row.decision == DecisionKind.cancel.rawValue { cancels += 1 }
        if row.escalated { summary.escalations += 1 }
        if row.answer == "failed" { summary.answersFailed += 1 }
        if row.answer == "withdrawn" { summary.answersWithdrawn += 1 }
        if let latency = row.answerLatency {
            answerLatencies.append(latency)
            summary.latencyBuckets[LatencyBuckets.label(for: latency), default: 0] += 1
        }
        if let latency = row.shipLatency { shipLatencies.append(latency) }
        if row.acknowledged > 0, !row.shipped, let confirmed = row.confirmedAt,
            asOf.timeIntervalSince(confirmed) > 2 * 86_400
        {
            summary.acknowledgedNotShipped2d += 1
        }
    }

    /// The summary, with latency percentiles computed.
    public func finish() -> ReportSummary {
        var out = summary
        out.cancelShare = answering == 0 ? 0 : Double(cancels) / Double(answering)
        out.answerLatency = LatencyStats(answerLatencies)
        out.shipLatency = LatencyStats(shipLatencies)
        return out
    }

    static func day(_ date: Date) -> String { String(Timestamp.utcString(date).prefix(10)) }
}
