import AgentStore
import Foundation
import Metrics

/// The agent's metrics (swift-metrics; exported as Prometheus by `run --metrics-port`), each
/// labelled with the source (the Flxpoint account) it is about.
public struct AgentMetrics: Sendable {
    public let source: String

    public init(source: String = StoreDefaults.source) { self.source = source }

    func cycle(succeeded: Bool, seconds: Double) {
        Counter(
            label: "source_agent_cycles_total",
            dimensions: [("source", source), ("result", succeeded ? "ok" : "error")]
        ).increment()
        Recorder(label: "source_agent_cycle_duration_seconds", dimensions: [("source", source)], aggregate: true)
            .record(seconds)
        Gauge(label: "source_agent_last_cycle_success", dimensions: [("source", source)]).record(succeeded ? 1 : 0)
    }

    func decided(decision: String, rule: String) {
        Counter(
            label: "source_agent_decisions_total",
            dimensions: [("source", source), ("decision", decision), ("rule", rule)]
        ).increment()
    }

    func outboxBacklog(_ pending: Int) {
        Gauge(label: "source_agent_outbox_backlog", dimensions: [("source", source)]).record(pending)
    }

    func escalated(rule: String) {
        Counter(label: "source_agent_holds_escalated_total", dimensions: [("source", source), ("rule", rule)])
            .increment()
    }

    /// The open holds after a cycle: how old the oldest is, and how many miss their ship-by day.
    func holds(_ holds: CycleReport.HoldSummary, now: Date) {
        Gauge(label: "source_agent_holds_open", dimensions: [("source", source)]).record(holds.open)
        Gauge(label: "source_agent_oldest_hold_age_seconds", dimensions: [("source", source)]).record(
            holds.oldestSince.map { max(0, now.timeIntervalSince($0)) } ?? 0)
        Gauge(label: "source_agent_holds_past_ship_by", dimensions: [("source", source)]).record(holds.pastShipBy)
    }

    /// Open holds by how long they have waited, and decisions taken by each person, as the
    /// database has them (a person may decide from another process).
    func people(holds: HoldAges, manualByPerson: [String: Int]) {
        for (label, count) in holds.counts {
            Gauge(label: "source_agent_holds_by_age", dimensions: [("source", source), ("age", label)]).record(count)
        }
        for (person, count) in manualByPerson {
            Gauge(label: "source_agent_manual_decisions", dimensions: [("source", source), ("by", person)]).record(
                count)
        }
    }

    /// 1 while this process decides by an older rule version than the fleet's in force.
    func rules(outOfDate: Bool) {
        Gauge(label: "source_agent_rules_out_of_date", dimensions: [("source", source)]).record(outOfDate ? 1 : 0)
    }

    func guardTripped() {
        Counter(label: "source_agent_guard_trips_total", dimensions: [("source", source)]).increment()
    }

    func quarantined() {
        Counter(label: "source_agent_quarantined_total", dimensions: [("source", source)]).increment()
    }

    func answer(outcome: String) {
        Counter(label: "source_agent_answers_total", dimensions: [("source", source), ("outcome", outcome)]).increment()
    }

    /// One HTTP attempt to Flxpoint; `status` nil for a transport failure.
    public func apiCall(endpoint: String, status: Int?) {
        let statusText = status.map(String.init) ?? "transport_error"
        Counter(
            label: "source_agent_api_calls_total",
            dimensions: [("source", source), ("endpoint", endpoint), ("status", statusText)]
        )
        .increment()
        if status == 429 {
            Counter(label: "source_agent_api_rate_limited_total", dimensions: [("source", source)]).increment()
        }
        if status == nil || (status ?? 0) >= 400 {
            Counter(
                label: "source_agent_api_errors_total", dimensions: [("endpoint", endpoint), ("status", statusText)]
            )
            .increment()
        }
    }
}
