// Alerts: queuing alerts in the store and delivering them to the webhook.

import AgentStore
import Foundation
import FulfillmentCore
import Logging

/// The events an operator is told about (docs/operations.md, "Alerts").
public enum AlertEvent: String, Sendable, CaseIterable {
    case guardTripped = "guard_tripped"
    case authFailed = "auth_failed"
    case answerRefused = "answer_refused"
    case holdEscalated = "hold_escalated"
    case holdPastShipBy = "hold_past_ship_by"
    /// Holds have waited for a person longer than `AgentSettings.holdAlertAfter`.
    case holdsWaiting = "holds_waiting"
    case frQuarantined = "fr_quarantined"
    case stockStale = "stock_stale"
    case cycleFailed = "cycle_failed"
    /// This process took a source over from another that stopped renewing its lease.
    case leaseTakenOver = "lease_taken_over"
    /// The shared database could not be reached; nothing was answered meanwhile.
    case databaseUnreachable = "database_unreachable"
    /// This process could not load the fleet's rule version in force for two looks in a row.
    case rulesOutOfDate = "rules_out_of_date"
    /// Units promised from stock on its way no longer land in time for the FR's ship-by.
    case inboundSlipped = "inbound_slipped"
}

/// Raises alerts: each is queued in the database (so a crash loses none and a repeat is
/// recognised after a restart) and delivered by `AlertDelivery`, never by the cycle itself.
public struct Alerts: Sendable {
    let database: (any SourceStore)?
    let logger: Logger
    let clock: @Sendable () -> Date

    /// Alerts that go nowhere: no webhook configured.
    public static let off = Alerts(database: nil, logger: Logger(label: "alerts"), clock: { Date() })

    public init(database: (any SourceStore)?, logger: Logger, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.logger = logger
        self.clock = clock
    }

    /// Events without an FR repeat at most once per this window.
    static let window: TimeInterval = 3600

    public func raise(
        _ event: AlertEvent, frId: Int? = nil, frNumber: String? = nil, rule: String? = nil, message: String
    ) async {
        guard let database else { return }
        let now = clock()
        let subject = frNumber ?? frId.map { "#\($0)" }
        // Named only when it is not the single-source default, so one-source alerts read as before.
        let account = database.source == StoreDefaults.source ? "" : " [\(database.source)]"
        let text = "source-agent\(account) \(event.rawValue)\(subject.map { " \($0)" } ?? ""): \(message)"
        let payload = AlertPayload(
            event: event.rawValue, source: database.source, frId: frId, frNumber: frNumber, rule: rule,
            message: message,
            at: Timestamp.utcString(now), text: text)
        do {
            try await database.queueAlert(
                event: event.rawValue, frId: frId, payloadJSON: WireJSON.text(payload), window: Self.window, at: now)
        } catch {
            logger.error(
                "could not queue an alert", metadata: ["alert.event": "\(event.rawValue)", "error": "\(error)"])
        }
    }
}

/// The JSON body posted to the webhook.
struct AlertPayload: Encodable {
    var event: String
    /// The Flxpoint account (a `sources:` entry) the alert is about.
    var source: String
    var frId: Int?
    var frNumber: String?
    var rule: String?
    var message: String
    var at: String
    var text: String

    enum CodingKeys: String, CodingKey {
        case event, source, rule, message, at, text
        case frId = "fr_id"
        case frNumber = "fr_number"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(event, forKey: .event)
        try c.encode(source, forKey: .source)
        try c.encode(frId, forKey: .frId)
        try c.encode(frNumber, forKey: .frNumber)
        try c.encode(rule, forKey: .rule)
        try c.encode(message, forKey: .message)
        try c.encode(at, forKey: .at)
        try c.encode(text, forKey: .text)
    }
}
