// Records: the rows of the SQLite engine's tables, and how typed values are stored.

import Foundation
import FulfillmentCore
import GRDB

/// An FR as last seen upstream.
public struct FRRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "fr"
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
}

/// One decision taken for an FR, with what it was based on.
public struct DecisionRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "decision"
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

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// An answer waiting to be sent, sent, or refused for good.
public struct OutboxRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "outbox"
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

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// Units held for an FR at a location.
public struct ReservationRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "reservation"
    public var id: Int64?
    /// The Flxpoint account (a `sources:` entry) the FR belongs to.
    public var sourceName: String
    public var frId: Int
    public var decisionId: Int64
    public var sku: String
    public var location: String
    public var quantity: Int
    /// `held`, `shipped` or `released`.
    public var state: String
    /// When it shipped or was released; nil while held.
    public var endedAt: Date?
    /// Owed beyond stock (an acknowledge short of it), not taken from the shelf.
    public var backordered: Bool = false

    enum CodingKeys: String, CodingKey {
        case id
        case sourceName = "source_name"
        case frId = "fr_id"
        case decisionId = "decision_id"
        case sku, location, quantity, state, backordered
        case endedAt = "ended_at"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A poll cycle and what it did.
public struct CycleRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "cycle"
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

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// An FR that could not be decoded, kept with its text and error until it changes upstream.
public struct QuarantineRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "quarantine"
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

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A shipment from a tracking file: recorded (with its units turned `shipped`) before it is
/// sent, so a crash between the two is resumed, never repeated.
public struct ShipmentRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "shipment"
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

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
