import Foundation

/// One thing a person did (a decision, a retry, an upload, a rule change, a sign-in), for the
/// audit log the console lists.
public struct AuditEntry: Codable, Sendable, Equatable {
    public var id: Int64?
    public var at: Date
    public var actor: String
    /// What was done: `decide`, `retry`, `stock-import`, `tracking-upload`, `rules-apply`, ...
    public var action: String
    /// The source acted for, or `-` for the whole process.
    public var sourceName: String
    /// What it was done to, in words (an FR, a file, a rule version).
    public var detail: String

    public init(id: Int64? = nil, at: Date, actor: String, action: String, sourceName: String, detail: String) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.sourceName = sourceName
        self.detail = detail
    }

    enum CodingKeys: String, CodingKey {
        case id, at, actor, action, detail
        case sourceName = "source_name"
    }
}

/// A tracking file as it was imported (from the inbox, the command or an upload) and what
/// became of its rows.
public struct TrackingFileRecord: Codable, Sendable, Equatable {
    public var id: Int64?
    public var name: String
    /// `inbox`, `command` or `upload`.
    public var origin: String
    public var actor: String?
    public var at: Date
    public var sent: Int
    public var alreadySent: Int
    public var rejected: Int
    public var waiting: Int
    /// The file's problems, one `file:line: message` per line; empty when none.
    public var problems: String

    public init(
        id: Int64? = nil, name: String, origin: String, actor: String?, at: Date, sent: Int, alreadySent: Int,
        rejected: Int, waiting: Int, problems: String
    ) {
        self.id = id
        self.name = name
        self.origin = origin
        self.actor = actor
        self.at = at
        self.sent = sent
        self.alreadySent = alreadySent
        self.rejected = rejected
        self.waiting = waiting
        self.problems = problems
    }

    enum CodingKeys: String, CodingKey {
        case id, name, origin, actor, at, sent, rejected, waiting, problems
        case alreadySent = "already_sent"
    }
}

/// What the console's live pages compare to know they are out of date.
public struct LiveMarks: Codable, Sendable, Equatable {
    public var decision: Int64
    public var cycle: Int64
    public var pending: Int

    public init(decision: Int64, cycle: Int64, pending: Int) {
        self.decision = decision
        self.cycle = cycle
        self.pending = pending
    }

    /// One text for both engines: `?` three times for the source.
    public static let sql = """
        SELECT coalesce((SELECT max(id) FROM decision WHERE source_name = ?), 0) AS decision,
               coalesce((SELECT max(id) FROM cycle WHERE source_name = ?), 0) AS cycle,
               (SELECT count(*) FROM outbox WHERE source_name = ? AND state = 'pending') AS pending
        """
}

/// An FR acknowledged and not shipped: when its answer was confirmed, and the units it still holds.
public struct NotShippedFR: Codable, Sendable, Equatable {
    public var frId: Int
    public var number: String?
    public var answeredAt: Date
    public var units: Int

    enum CodingKeys: String, CodingKey {
        case number, units
        case frId = "fr_id"
        case answeredAt = "answered_at"
    }

    /// The query, one text for both engines: `?` for the source, the cut-off, the limit.
    public static let sql = """
        SELECT f.id AS fr_id, f.number, o.updated_at AS answered_at,
               (SELECT coalesce(sum(r.quantity), 0) FROM reservation r
                WHERE r.source_name = o.source_name AND r.fr_id = o.fr_id AND r.state = 'held') AS units
        FROM outbox o
        JOIN decision d ON d.id = o.decision_id
        JOIN fr f ON f.source_name = o.source_name AND f.id = o.fr_id
        WHERE o.source_name = ? AND o.state = 'done' AND d.decision IN ('acknowledge', 'split')
          AND d.withdrawn_at IS NULL AND o.updated_at < ?
          AND NOT EXISTS (SELECT 1 FROM shipment s
                          WHERE s.source_name = o.source_name AND s.fr_id = o.fr_id AND s.state = 'done')
        ORDER BY o.updated_at, f.id
        LIMIT ?
        """

    public init(
        frId: Int, number: String? = nil, answeredAt: Date, units: Int
    ) {
        self.frId = frId
        self.number = number
        self.answeredAt = answeredAt
        self.units = units
    }
}
