import Foundation
import FulfillmentCore
import GRDB

/// An FR waiting for a person: its newest decision is a hold and it has no live answer.
public struct OpenHold: Sendable {
    /// The newest (hold) decision.
    public var decision: DecisionRecord
    public var frNumber: String?
    /// The FR as last read from Flxpoint.
    public var frJSON: String
    /// When it was first held since its last withdrawn answer.
    public var heldSince: Date

    public var frId: Int { decision.frId }
    public var displayName: String { frNumber ?? "#\(decision.frId)" }

    /// A person keeps it held (`decide --keep-holding`), so the rules leave it alone at `now`.
    public func heldByPerson(at now: Date) -> Bool {
        ManualDecision.holdsFR(
            decision: decision.decision, rule: decision.rule, holdUntil: decision.holdUntil, at: now)
    }

    /// Every field, as the engines build it.
    public init(
        decision: DecisionRecord, frNumber: String? = nil, frJSON: String, heldSince: Date
    ) {
        self.decision = decision
        self.frNumber = frNumber
        self.frJSON = frJSON
        self.heldSince = heldSince
    }
}

/// Where an FR stands when a person wants to decide it.
public struct FRStanding: Sendable {
    public var fr: FRRecord
    /// The last complete poll did not list it: it was voided, cancelled or answered elsewhere.
    public var leftOpenList = false
    /// The decision that answers it (not withdrawn), if any, with its answer's state.
    public var answer: (decision: DecisionRecord, state: String?)?
    /// When it was first held since its last withdrawn answer, if it is held.
    public var heldSince: Date?

    /// Every field, as the engines build it.
    public init(
        fr: FRRecord, answer: (decision: DecisionRecord, state: String?)? = nil, heldSince: Date? = nil
    ) {
        self.fr = fr
        self.answer = answer
        self.heldSince = heldSince
    }
}

extension AgentDatabase {
    /// Open holds, the longest held first. FRs voided or cancelled upstream are left out.
    public func openHolds(limit: Int) async throws -> [OpenHold] {
        try await writer.read { [source] db in
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT d.*, f.number AS fr_number, f.raw_json AS fr_raw, \(Self.holdSince) AS since "
                    + Self.openHoldsFrom + " ORDER BY since, d.fr_id LIMIT ?", arguments: [source, limit])
            return try rows.map { row in
                OpenHold(
                    decision: try DecisionRecord(row: row), frNumber: row["fr_number"], frJSON: row["fr_raw"],
                    heldSince: row["since"])
            }
        }
    }

    /// When each open hold was first held: what `status`, `/metrics` and alerts count by age.
    public func openHoldsSince() async throws -> [Date] {
        try await writer.read { [source] db in
            try Date.fetchAll(db, sql: "SELECT \(Self.holdSince) " + Self.openHoldsFrom, arguments: [source])
        }
    }

    /// The newest decision of each FR that is a hold, with no live answer, the FR not closed upstream.
    /// FRs that left the open list at the last complete poll are not waiting for anyone.
    /// Its one parameter is the source.
    static let openHoldsFrom = openHoldsFrom(source: "?")

    /// The same for either engine: `source` is the source's placeholder (`?` in SQLite, `$1`
    /// in PostgreSQL); the rest is SQL both read alike.
    public static func openHoldsFrom(source: String) -> String {
        """
        FROM decision d JOIN fr f ON f.source_name = d.source_name AND f.id = d.fr_id
        WHERE d.source_name = \(source) AND d.decision = 'hold'
          AND d.id = (SELECT max(id) FROM decision WHERE source_name = d.source_name AND fr_id = d.fr_id)
          AND NOT EXISTS (SELECT 1 FROM decision a WHERE a.source_name = d.source_name AND a.fr_id = d.fr_id
                          AND a.decision <> 'hold' AND a.withdrawn_at IS NULL)
          AND coalesce(lower(f.upstream_status), '') NOT IN ('voided', 'canceled', 'cancelled')
          AND f.last_seen >= coalesce((SELECT max(listed_at) FROM cycle WHERE source_name = d.source_name),
                                      f.last_seen)
        """
    }

    /// For a hold `d`: its FR's first hold since the last withdrawn answer (either engine).
    public static let holdSince = """
        (SELECT min(h.decided_now) FROM decision h
         WHERE h.source_name = d.source_name AND h.fr_id = d.fr_id AND h.decision = 'hold'
           AND h.id > coalesce((SELECT max(w.id) FROM decision w
                                WHERE w.source_name = d.source_name AND w.fr_id = d.fr_id
                                  AND w.withdrawn_at IS NOT NULL), 0))
        """

    /// An FR by id or number (an id is tried first), with its live answer and how long it has
    /// been held.
    public func standing(of key: String) async throws -> FRStanding? {
        try await writer.read { [source] db in
            var fr: FRRecord?
            if let id = Int(key) {
                fr = try FRRecord.fetchOne(
                    db, sql: "SELECT * FROM fr WHERE source_name = ? AND id = ?", arguments: [source, id])
            }
            if fr == nil {
                fr = try FRRecord.fetchOne(
                    db, sql: "SELECT * FROM fr WHERE source_name = ? AND number = ? ORDER BY id",
                    arguments: [source, key])
            }
            guard let fr else { return nil }
            var standing = FRStanding(fr: fr)
            if let listed = try Date.fetchOne(
                db, sql: "SELECT max(listed_at) FROM cycle WHERE source_name = ?", arguments: [source])
            {
                standing.leftOpenList = fr.lastSeen < listed
            }
            standing.answer = try Self.liveAnswer(db, source: source, frId: fr.id)
            standing.heldSince = try Date.fetchOne(
                db, sql: "SELECT \(Self.holdSince) FROM decision d WHERE d.source_name = ? AND d.fr_id = ? LIMIT 1",
                arguments: [source, fr.id])
            return standing
        }
    }

    /// How many decisions each person took, for `status` and `/metrics`.
    /// (`+source_name`: the few rows a person decided are found through `decision_by`; left
    /// to itself SQLite reads every decision of the source through `decision_fr`.)
    public func manualDecisionsByPerson() async throws -> [String: Int] {
        try await writer.read { [source] db in
            var out: [String: Int] = [:]
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT decided_by, count(*) AS n FROM decision WHERE +source_name = ? AND decided_by IS NOT NULL
                    GROUP BY decided_by
                    """, arguments: [source])
            for row in rows { out[row["decided_by"]] = row["n"] }
            return out
        }
    }
}

/// Open holds counted by how long they have waited.
public struct HoldAges: Sendable, Equatable {
    /// Upper bounds of the buckets, in seconds; the last bucket has none.
    public static let bounds: [(label: String, seconds: TimeInterval)] = [
        ("under_1h", 3600), ("1h_to_4h", 4 * 3600), ("4h_to_24h", 86_400),
    ]
    public static let lastLabel = "over_24h"
    public static var labels: [String] { bounds.map(\.label) + [lastLabel] }

    /// Label → count, every label present.
    public var counts: [String: Int]
    /// When the longest-waiting hold was first held.
    public var oldestSince: Date?

    public init(heldSince: [Date], now: Date) {
        counts = Dictionary(uniqueKeysWithValues: Self.labels.map { ($0, 0) })
        for since in heldSince {
            let age = now.timeIntervalSince(since)
            let label = Self.bounds.first { age < $0.seconds }?.label ?? Self.lastLabel
            counts[label, default: 0] += 1
        }
        oldestSince = heldSince.min()
    }

    public var total: Int { counts.values.reduce(0, +) }

    /// `3 under 1h, 1 1h–4h, 0 4h–24h, 2 over 24h`.
    public var text: String {
        Self.labels.map { "\(counts[$0] ?? 0) \(Self.title($0))" }.joined(separator: ", ")
    }

    /// `under 1h`, `1h–4h`, …
    public static func title(_ label: String) -> String {
        label.replacingOccurrences(of: "_to_", with: "–").replacingOccurrences(of: "_", with: " ")
    }
}
