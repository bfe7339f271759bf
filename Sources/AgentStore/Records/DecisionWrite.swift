import Foundation
import FulfillmentCore

/// What a decision was based on, stored as `facts_json`.
public struct DecisionBasis: Codable, Sendable, Equatable {
    public var facts: Facts
    public var stockPlan: StockPlan
    /// SKU → location → figures, for the SKUs of the FR.
    public var stockFigures: [String: [String: StockFigure]]
    public var reservations: [StockReservation]
    /// The kits the FR's lines were promised as; nil (not written) when none was.
    public var kits: [Kit]?

    init(_ decision: FRDecision) {
        facts = decision.facts
        stockPlan = decision.stockPlan
        stockFigures = decision.stockFigures
        reservations = decision.reservations
        let kits = decision.stockPlan.kitsUsed
        self.kits = kits.isEmpty ? nil : kits
    }

    /// The kits a logged basis (`facts_json`) names; none for a decision without kit lines.
    /// Only such a decision wrote `kits`: the cheap look first keeps replay's pace.
    public static func kits(inBasis json: String?) -> [Kit] {
        guard let json, json.contains(#""kits":"#), let node = try? JSONParser.member("kits", of: json.utf8) else {
            return []
        }
        return Kit.list(node) ?? []
    }

    /// As `StableJSON.encoder()` writes it, without its cost.
    var jsonText: String {
        var json = JSONText(capacity: 1024)
        json.object { json in
            json.key("facts")
            json.write(facts)
            if let kits {
                json.key("kits")
                json.write(kits)
            }
            json.key("reservations")
            json.write(reservations)
            json.key("stockFigures")
            json.write(stockFigures)
            json.key("stockPlan")
            json.write(stockPlan)
        }
        return json.text
    }

    public init(
        facts: Facts, stockPlan: StockPlan, stockFigures: [String: [String: StockFigure]],
        reservations: [StockReservation], kits: [Kit]? = nil
    ) {
        self.kits = kits
        self.facts = facts
        self.stockPlan = stockPlan
        self.stockFigures = stockFigures
        self.reservations = reservations
    }
}

/// What a decision was taken from, beyond its facts: kept so a changed FR is noticed and so
/// `replay` can decide again from exactly the same inputs.
public struct DecisionInput: Sendable {
    /// `FulfillmentRequest.answerFingerprint` of the FR decided.
    public var frFingerprint: String?
    /// The FR's JSON as received.
    public var frJSON: String?
    /// Take the FR's JSON from what `recordSeen` stored this cycle, so the caller need not
    /// keep every FR's text in memory until its decision is written.
    public var frJSONAsSeen: Bool
    public var heldSince: Date?

    public init(frFingerprint: String? = nil, frJSON: String? = nil, frJSONAsSeen: Bool = false, heldSince: Date? = nil)
    {
        self.frFingerprint = frFingerprint
        self.frJSON = frJSON
        self.frJSONAsSeen = frJSONAsSeen
        self.heldSince = heldSince
    }
}

/// The answer to send for a decision, prepared by the caller in Flxpoint's shape.
public struct OutboxDraft: Sendable {
    public var kind: OutboxRecord.Kind
    public var bodyJSON: String?

    public init(kind: OutboxRecord.Kind, bodyJSON: String?) {
        self.kind = kind
        self.bodyJSON = bodyJSON
    }
}

/// The outcome columns of a logged decision.
public struct LoggedOutcome: Sendable, Equatable {
    public var decision: DecisionKind
    public var rule: String
    public var reason: DecisionReason?
    public var note: String?
    public var holdUntil: Date?

    /// A person keeps the FR held at `now`: the rules leave it alone.
    public func heldByPerson(at now: Date) -> Bool {
        ManualDecision.holdsFR(decision: decision, rule: rule, holdUntil: holdUntil, at: now)
    }

    /// Every field, as the engines build it.
    public init(
        decision: DecisionKind, rule: String, reason: DecisionReason? = nil, note: String? = nil, holdUntil: Date? = nil
    ) {
        self.decision = decision
        self.rule = rule
        self.reason = reason
        self.note = note
        self.holdUntil = holdUntil
    }
}

/// An FR another source of the pool has read and not decided yet, as of its last reading.
public struct WaitingFR: Sendable, Hashable {
    public var source: String
    public var id: Int
    public var lastSeen: Date

    public init(source: String, id: Int, lastSeen: Date) {
        self.source = source
        self.id = id
        self.lastSeen = lastSeen
    }
}

/// One decision to record, with the answer it sends and what it was decided from. Its JSON
/// columns are encoded when it is made, outside any transaction: that is most of a write's
/// work, and a caller with many decisions makes their writes on every core.
public struct DecisionWrite: Sendable {
    public let decision: FRDecision
    public let outbox: OutboxDraft?
    public let input: DecisionInput
    /// The decision's JSON columns.
    public let encoded: EncodedDecision

    public init(_ decision: FRDecision, outbox: OutboxDraft?, input: DecisionInput = DecisionInput()) {
        self.decision = decision
        self.outbox = outbox
        self.input = input
        encoded = EncodedDecision(decision)
    }
}

/// A decision's JSON columns: lines, trace and what it was decided from, as the stable JSON
/// encoder writes them.
public struct EncodedDecision: Sendable {
    public var lines: String
    public var trace: String
    public var basis: String

    init(_ decision: FRDecision) {
        var lines = JSONText(capacity: 256)
        lines.write(decision.lines)
        var trace = JSONText(capacity: 2048)
        trace.write(decision.trace)
        self.lines = lines.text
        self.trace = trace.text
        basis = DecisionBasis(decision).jsonText
    }

    public init(
        lines: String, trace: String, basis: String
    ) {
        self.lines = lines
        self.trace = trace
        self.basis = basis
    }
}
