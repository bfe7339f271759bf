import Foundation
import FulfillmentCore

/// What every engine's store has, table for table: each engine migrates to it, checks a
/// database against it at start, and the contract tests hold each engine's migrated schema to
/// it (a migration that adds a column adds it here too).
public enum StoreSchema {
    /// Each table and its columns.
    public static let tables: [String: Set<String>] = [
        "alert": [
            "attempts", "created_at", "event", "fr_id", "id", "last_error", "next_attempt_at", "payload_json",
            "source_name", "state",
        ],
        "audit": ["action", "actor", "at", "detail", "id", "source_name"],
        "cycle": [
            "decided", "error", "failed", "fetched", "finished_at", "guard_tripped", "holds_past_ship_by", "id",
            "listed_at", "oldest_hold_since", "quarantined", "sent", "source_name", "started_at", "withdrawn",
        ],
        "decision": [
            "cycle_id", "decided_at", "decided_by", "decided_now", "decision", "facts_json", "fr_id", "fr_json",
            "fr_sha256", "held_since", "hold_until", "id", "lines_json", "note", "override", "reason", "remainder",
            "rule", "rules_sha256", "source_name", "trace_json", "withdrawn_at",
        ],
        "fr": [
            "checked_at", "created_at", "first_seen", "id", "last_seen", "number", "raw_json", "source_name",
            "upstream_status",
        ],
        "inbox_claim": ["claimed_at", "done_at", "expires_at", "holder", "name", "sha256"],
        "kit": ["component_sku", "imported_at", "kit_sku", "pool", "position", "quantity", "source"],
        "inventory_push": ["cost", "pushed_at", "quantity", "sku", "source_name"],
        "inventory_variant": ["fetched_at", "sku", "source_name", "variant_id"],
        "outbox": [
            "attempts", "body_json", "created_at", "decision_id", "fr_id", "id", "kind", "last_error",
            "next_attempt_at", "outcome", "source_name", "state", "updated_at",
        ],
        "quarantine": [
            "error", "first_seen", "fr_id", "id", "last_seen", "raw_json", "raw_sha256", "resolved", "source_name",
            "times_seen",
        ],
        "reservation": [
            "backordered", "decision_id", "end_reason", "ended_at", "fr_id", "id", "inbound_at", "location",
            "quantity", "shipment_id", "sku", "source_name", "state",
        ],
        "inbound": ["expected_at", "imported_at", "location", "pool", "position", "quantity", "sku", "source"],
        "rule_in_force": ["name", "since", "version_id"],
        "rule_load": [
            "holder", "host", "loaded_at", "name", "path", "pid", "problem", "seen_at", "sha256", "version_id",
        ],
        "rule_version": ["actor", "at", "id", "name", "note", "path", "replaces", "sha256", "text"],
        "shipment": [
            "attempts", "body_json", "carrier", "created_at", "fr_id", "id", "last_error", "method", "shipped_at",
            "source", "source_name", "state", "tracking_number", "units", "updated_at",
        ],
        "source": ["name", "pool"],
        "stock": ["cost", "location", "on_hand", "pool", "sku"],
        "stock_import": ["as_of", "id", "imported_at", "pool", "rows", "source"],
        "tracking_file": [
            "actor", "already_sent", "at", "id", "name", "origin", "problems", "rejected", "sent", "waiting",
        ],
    ]

    /// The tables `db copy` moves from one engine to the other, parents before the rows that
    /// refer to them.
    public static let exportedTables = [
        "source", "fr", "cycle", "decision", "shipment", "outbox", "reservation", "stock", "stock_import",
        "kit", "inbound", "quarantine", "alert", "inventory_variant", "inventory_push", "audit", "rule_version",
        "rule_in_force",
        "tracking_file",
    ]

    /// What a database lacks, in words, given `actual` (each of its tables and their columns):
    /// each of `engineTables` (an engine's own) missing, then each table of this schema missing
    /// or short of a column. Empty when the database is whole.
    public static func problems(in actual: [String: Set<String>], engineTables: Set<String> = []) -> [String] {
        var problems = engineTables.sorted().filter { actual[$0] == nil }.map { "table \($0) is missing" }
        for (table, columns) in tables.sorted(by: { $0.key < $1.key }) {
            guard let present = actual[table] else {
                problems.append("table \(table) is missing")
                continue
            }
            let missing = columns.subtracting(present).sorted()
            if !missing.isEmpty { problems.append("table \(table) lacks column \(missing.joined(separator: ", "))") }
        }
        return problems
    }
}

/// The names a store uses when a configuration names none.
public enum StoreDefaults {
    /// The source of a single-source setup.
    public static let source = "default"
    /// The pool a source draws on unless it names another.
    public static let pool = "shared"
}

/// When answers go out, as both engines order them.
public enum AnswerTiming {
    /// How long an answer may be passed over by more urgent ones: after this it goes out in
    /// the order it was decided, ahead of everything younger.
    public static let longestWait: TimeInterval = 600
    /// An answer's or alert's next try is at most an hour away (the longest back-off); a day
    /// ahead is impossible.
    public static let latestPlausibleRetry: TimeInterval = 86_400
}

/// The JSON columns (lines, facts, traces), as both engines read them back.
public enum StoredJSON {
    /// Reads one of the JSON columns, its instants as the agent writes them.
    public static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let c = try decoder.singleValueContainer()
            let text = try c.decode(String.self)
            do {
                return try Timestamp.parseInstant(text)
            } catch {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "\(error)")
            }
        }
        return try decoder.decode(type, from: Data(text.utf8))
    }
}
