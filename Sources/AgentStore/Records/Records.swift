// Records: the rows of the SQLite engine's tables, and how typed values are stored.

import Foundation
import FulfillmentCore

/// An FR as last seen upstream.
public struct FRRecord: Codable, Sendable {
    public var id: Int
    /// The Flxpoint account (a `sources:` entry) the FR belongs to.
    public var sourceName: String
    public var number: String?
    public var rawJSON: String
    public var createdAt: Date?
    public var upstreamStatus: String?
    public var firstSeen: Date
    public var lastSeen: Date

    enum CodingKeys: String, CodingKey {
        case id, number
        case sourceName = "source_name"
        case rawJSON = "raw_json"
        case createdAt = "created_at"
        case upstreamStatus = "upstream_status"
        case firstSeen = "first_seen"
        case lastSeen = "last_seen"
    }

    public init(
        id: Int, sourceName: String, number: String? = nil, rawJSON: String, createdAt: Date? = nil,
        upstreamStatus: String? = nil, firstSeen: Date, lastSeen: Date
    ) {
        self.id = id
        self.sourceName = sourceName
        self.number = number
        self.rawJSON = rawJSON
        self.createdAt = createdAt
        self.upstreamStatus = upstreamStatus
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }
}

/// One decision taken for an FR, with what it was based on.
public struct DecisionRecord: Codable, Sendable {
    public var id: Int64?
    /// The Flxpoint account (a `sources:` entry) the FR belongs to.
    public var sourceName: String
    public var frId: Int
    public var cycleId: Int64?
    public var decision: DecisionKind
    public var rule: String
    public var reason: DecisionReason?
    public var remainder: Remainder?
    public var note: String?
    public var linesJSON: String
    public var traceJSON: String
    /// Facts, the stock plan and the stock figures used, as JSON.
    public var factsJSON: String
    public var decidedNow: Date
    public var rulesSHA256: String
    public var decidedAt: Date
    /// Set when the answer was withdrawn; the FR may then be decided again.
    public var withdrawnAt: Date? = nil
    /// The FR's `answerFingerprint` when decided: a different one upstream means it changed.
    public var frSHA256: String? = nil
    /// The FR's JSON as it was when decided, for replay; nil for decisions before v4.
    public var frJSON: String? = nil
    /// When the FR was first held, if it was, for replaying hold escalation.
    public var heldSince: Date? = nil
    /// The person who took a `manual` decision.
    public var decidedBy: String? = nil
    /// A person's keep-holding ends here; the rules take the FR again.
    public var holdUntil: Date? = nil
    /// What changed the rules' own decision: the pause, the guard, give-way or escalation.
    public var override: DecisionOverride? = nil

    enum CodingKeys: String, CodingKey {
        case id
        case sourceName = "source_name"
        case frId = "fr_id"
        case cycleId = "cycle_id"
        case decision, rule, reason, remainder, note
        case linesJSON = "lines_json"
        case traceJSON = "trace_json"
        case factsJSON = "facts_json"
        case decidedNow = "decided_now"
        case rulesSHA256 = "rules_sha256"
        case decidedAt = "decided_at"
        case withdrawnAt = "withdrawn_at"
        case frSHA256 = "fr_sha256"
        case frJSON = "fr_json"
        case heldSince = "held_since"
        case decidedBy = "decided_by"
        case holdUntil = "hold_until"
        case override
    }

    public init(
        id: Int64? = nil, sourceName: String, frId: Int, cycleId: Int64? = nil, decision: DecisionKind, rule: String,
        reason: DecisionReason? = nil, remainder: Remainder? = nil, note: String? = nil, linesJSON: String,
        traceJSON: String, factsJSON: String, decidedNow: Date, rulesSHA256: String, decidedAt: Date,
        withdrawnAt: Date? = nil, frSHA256: String? = nil, frJSON: String? = nil, heldSince: Date? = nil,
        decidedBy: String? = nil, holdUntil: Date? = nil, override: DecisionOverride? = nil
    ) {
        self.id = id
        self.sourceName = sourceName
        self.frId = frId
        self.cycleId = cycleId
        self.decision = decision
        self.rule = rule
        self.reason = reason
        self.remainder = remainder
        self.note = note
        self.linesJSON = linesJSON
        self.traceJSON = traceJSON
        self.factsJSON = factsJSON
        self.decidedNow = decidedNow
        self.rulesSHA256 = rulesSHA256
        self.decidedAt = decidedAt
        self.withdrawnAt = withdrawnAt
        self.frSHA256 = frSHA256
        self.frJSON = frJSON
        self.heldSince = heldSince
        self.decidedBy = decidedBy
        self.holdUntil = holdUntil
        self.override = override
    }
}

/// An answer waiting to be sent, sent, or refused for good.
public struct OutboxRecord: Codable, Sendable {
    /// `withdrawn`: never to be sent (its FR changed or was voided upstream, or a person asked
    /// for a new decision); the FR may get a new answer.
    public enum State: String, Codable, Sendable, CaseIterable { case pending, done, failed, withdrawn }
    /// Which endpoint the answer goes to.
    public enum Kind: String, Codable, Sendable { case acknowledge, adjust }

    public var id: Int64?
    /// The Flxpoint account (a `sources:` entry) the FR belongs to.
    public var sourceName: String
    public var frId: Int
    public var decisionId: Int64
    public var kind: Kind
    /// The adjust body; nil for a whole-FR acknowledge.
    public var bodyJSON: String?
    public var state: State
    /// Sends started; above zero means an earlier send may have reached Flxpoint.
    public var attempts: Int
    public var lastError: String?
    public var outcome: String?
    /// Not sent before this time (back-off after a failed send); nil: as soon as possible.
    public var nextAttemptAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id
        case sourceName = "source_name"
        case frId = "fr_id"
        case decisionId = "decision_id"
        case kind
        case bodyJSON = "body_json"
        case state, attempts
        case lastError = "last_error"
        case outcome
        case nextAttemptAt = "next_attempt_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(
        id: Int64? = nil, sourceName: String, frId: Int, decisionId: Int64, kind: Kind, bodyJSON: String? = nil,
        state: State, attempts: Int, lastError: String? = nil, outcome: String? = nil, nextAttemptAt: Date? = nil,
        createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.sourceName = sourceName
        self.frId = frId
        self.decisionId = decisionId
        self.kind = kind
        self.bodyJSON = bodyJSON
        self.state = state
        self.attempts = attempts
        self.lastError = lastError
        self.outcome = outcome
        self.nextAttemptAt = nextAttemptAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// Units held for an FR at a location.
public struct ReservationRecord: Codable, Sendable {
    public var id: Int64?
    /// The Flxpoint account (a `sources:` entry) the FR belongs to.
    public var sourceName: String
    public var frId: Int
    public var decisionId: Int64
    public var sku: String
    public var location: String
    public var quantity: Int
    public var state: State
    /// When it shipped or was released; nil while held.
    public var endedAt: Date?
    /// Owed beyond stock (an acknowledge short of it), not taken from the shelf.
    public var backordered: Bool = false
    /// Promised from stock on its way: the arrival's expected time (`from: inbound`).
    public var inboundAt: Date?

    enum CodingKeys: String, CodingKey {
        case id
        case sourceName = "source_name"
        case frId = "fr_id"
        case decisionId = "decision_id"
        case sku, location, quantity, state, backordered
        case endedAt = "ended_at"
        case inboundAt = "inbound_at"
    }

    public init(
        id: Int64? = nil, sourceName: String, frId: Int, decisionId: Int64, sku: String, location: String,
        quantity: Int, state: State, endedAt: Date? = nil, backordered: Bool = false, inboundAt: Date? = nil
    ) {
        self.inboundAt = inboundAt
        self.id = id
        self.sourceName = sourceName
        self.frId = frId
        self.decisionId = decisionId
        self.sku = sku
        self.location = location
        self.quantity = quantity
        self.state = state
        self.endedAt = endedAt
        self.backordered = backordered
    }

    /// Where the units are: still held for the FR, gone out with a shipment, or given back.
    public enum State: String, Codable, Sendable, CaseIterable {
        case held, shipped, released
    }
}

/// A poll cycle and what it did.
public struct CycleRecord: Codable, Sendable {
    public var id: Int64?
    /// The Flxpoint account (a `sources:` entry) the FR belongs to.
    public var sourceName: String
    public var startedAt: Date
    public var finishedAt: Date?
    public var fetched: Int
    public var decided: Int
    public var sent: Int
    public var failed: Int
    public var quarantined: Int
    public var guardTripped: Bool
    public var error: String?
    /// Unsent answers withdrawn because their FR changed upstream.
    public var withdrawn: Int = 0
    /// When the oldest hold still open at the end of the cycle was first held.
    public var oldestHoldSince: Date? = nil
    /// Open holds that can no longer meet their ship-by day.
    public var holdsPastShipBy: Int = 0
    /// When this cycle read the whole list of open FRs: an FR not seen then has left it
    /// (voided, cancelled or answered elsewhere). Nil when the listing was cut short.
    public var listedAt: Date? = nil

    enum CodingKeys: String, CodingKey {
        case id
        case sourceName = "source_name"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case fetched, decided, sent, failed, quarantined, withdrawn
        case guardTripped = "guard_tripped"
        case error
        case oldestHoldSince = "oldest_hold_since"
        case holdsPastShipBy = "holds_past_ship_by"
        case listedAt = "listed_at"
    }

    public init(
        id: Int64? = nil, sourceName: String, startedAt: Date, finishedAt: Date? = nil, fetched: Int, decided: Int,
        sent: Int, failed: Int, quarantined: Int, guardTripped: Bool, error: String? = nil, withdrawn: Int = 0,
        oldestHoldSince: Date? = nil, holdsPastShipBy: Int = 0, listedAt: Date? = nil
    ) {
        self.id = id
        self.sourceName = sourceName
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.fetched = fetched
        self.decided = decided
        self.sent = sent
        self.failed = failed
        self.quarantined = quarantined
        self.guardTripped = guardTripped
        self.error = error
        self.withdrawn = withdrawn
        self.oldestHoldSince = oldestHoldSince
        self.holdsPastShipBy = holdsPastShipBy
        self.listedAt = listedAt
    }
}

/// An FR that could not be decoded, kept with its text and error until it changes upstream.
public struct QuarantineRecord: Codable, Sendable {
    public var id: Int64?
    /// The Flxpoint account (a `sources:` entry) the FR belongs to.
    public var sourceName: String
    public var frId: Int?
    public var rawSHA256: String
    public var rawJSON: String
    public var error: String
    public var firstSeen: Date
    public var lastSeen: Date
    public var timesSeen: Int
    public var resolved: Bool

    enum CodingKeys: String, CodingKey {
        case id
        case sourceName = "source_name"
        case frId = "fr_id"
        case rawSHA256 = "raw_sha256"
        case rawJSON = "raw_json"
        case error
        case firstSeen = "first_seen"
        case lastSeen = "last_seen"
        case timesSeen = "times_seen"
        case resolved
    }

    public init(
        id: Int64? = nil, sourceName: String, frId: Int? = nil, rawSHA256: String, rawJSON: String, error: String,
        firstSeen: Date, lastSeen: Date, timesSeen: Int, resolved: Bool
    ) {
        self.id = id
        self.sourceName = sourceName
        self.frId = frId
        self.rawSHA256 = rawSHA256
        self.rawJSON = rawJSON
        self.error = error
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.timesSeen = timesSeen
        self.resolved = resolved
    }
}

/// A shipment from a tracking file: recorded (with its units turned `shipped`) before it is
/// sent, so a crash between the two is resumed, never repeated.
public struct ShipmentRecord: Codable, Sendable {
    /// Where the shipment is: waiting to send, confirmed, refused.
    public enum State: String, Codable, Sendable { case pending, done, failed }

    public var id: Int64?
    /// The Flxpoint account (a `sources:` entry) the FR belongs to.
    public var sourceName = ""
    public var frId: Int
    public var trackingNumber: String
    public var carrier: String?
    public var method: String?
    public var shippedAt: Date
    /// The `POST /shipments` body.
    public var bodyJSON: String
    public var units: Int
    /// The file (and lines) it came from.
    public var source: String
    public var state: State
    public var attempts: Int
    public var lastError: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        frId: Int, trackingNumber: String, carrier: String?, method: String?, shippedAt: Date, bodyJSON: String,
        units: Int, source: String, at now: Date
    ) {
        self.frId = frId
        self.trackingNumber = trackingNumber
        self.carrier = carrier
        self.method = method
        self.shippedAt = shippedAt
        self.bodyJSON = bodyJSON
        self.units = units
        self.source = source
        state = .pending
        attempts = 0
        createdAt = now
        updatedAt = now
    }

    enum CodingKeys: String, CodingKey {
        case id
        case sourceName = "source_name"
        case frId = "fr_id"
        case trackingNumber = "tracking_number"
        case carrier, method
        case shippedAt = "shipped_at"
        case bodyJSON = "body_json"
        case units, source, state, attempts
        case lastError = "last_error"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

}
