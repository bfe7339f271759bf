/// Query text both engines run as it is: SQLite and PostgreSQL read these alike, so the hold
/// queue and the console's decision page mean the same on either. Each engine's other SQL is
/// its own.
public enum SharedSQL {
    /// The console's decision page, one text for both engines: `?` for the source, each value
    /// of `conditions`, then the limit. `source` is how the engine should read the source column.
    public static func decisionPageSQL(source: String, conditions: String) -> String {
        """
        WITH base AS (
            SELECT d.*, f.number AS fr_number, coalesce(d.fr_json, f.raw_json) AS fr
            FROM decision d JOIN fr f ON f.source_name = d.source_name AND f.id = d.fr_id
            WHERE \(source) = ?\(conditions)
            ORDER BY d.id DESC LIMIT ?)
        SELECT b.id, b.fr_id, b.fr_number AS number, b.decided_at, b.decision, b.rule, b.reason, b.note,
               b.decided_by, b.lines_json, coalesce(b.override, '') = 'escalated' AS escalated, b.fr,
               o.state AS answer, o.updated_at AS answered_at,
               (SELECT min(s.shipped_at) FROM shipment s
                WHERE s.source_name = b.source_name AND s.fr_id = b.fr_id AND s.state = 'done') AS shipped_at
        FROM base b LEFT JOIN outbox o ON o.decision_id = b.id
        ORDER BY b.id DESC
        """
    }

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

    /// The stock page's three queries (`?` placeholders).
    public enum Stock {
        /// The pool's count: `?` the pool.
        public static let counted = "SELECT sku, location, on_hand FROM stock WHERE pool = ?"
        /// Units held, and shipped since the count (the ledger's reservations too): `?` the
        /// count's as-of, `?` the pool.
        public static let taken = """
            SELECT sku, location, state, sum(quantity) AS units FROM reservation
            WHERE ((state = 'held' AND inbound_at IS NULL) OR (state = 'shipped' AND ended_at > ?))
              AND source_name IN (SELECT name FROM source WHERE pool = ?)
            GROUP BY sku, location, state
            """
        /// Units held from stock on its way, per arrival (`from: inbound`): `?` the pool.
        public static let promisedInbound = """
            SELECT sku, location, inbound_at, sum(quantity) AS units FROM reservation
            WHERE state = 'held' AND inbound_at IS NOT NULL
              AND source_name IN (SELECT name FROM source WHERE pool = ?)
            GROUP BY sku, location, inbound_at
            """
        /// A source's units held from arrivals, with their FR: `?` the source.
        public static let inboundPromises = """
            SELECT r.fr_id, f.raw_json, r.sku, r.location, r.quantity, r.inbound_at
            FROM reservation r JOIN fr f ON f.source_name = r.source_name AND f.id = r.fr_id
            WHERE r.source_name = ? AND r.state = 'held' AND r.inbound_at IS NOT NULL
            ORDER BY r.id
            """
        /// The pool's stock on its way, in the file's order: `?` the pool.
        public static let inbound = """
            SELECT sku, location, quantity, expected_at, imported_at, source FROM inbound WHERE pool = ?
            ORDER BY position
            """
        /// The pool's kits, one row per component in file order: `?` the pool.
        public static let kits =
            "SELECT kit_sku, component_sku, quantity, imported_at, source FROM kit WHERE pool = ? ORDER BY position"
        /// The figures last pushed: `?` the source.
        public static let pushed = "SELECT sku, quantity, pushed_at FROM inventory_push WHERE source_name = ?"
    }
}
