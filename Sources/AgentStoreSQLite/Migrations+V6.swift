import AgentStore
import GRDB

extension Migrations {
    /// v6: many sources, stock pools.
    static func v6(_ db: Database) throws {
        // FR ids and numbers are unique only within one Flxpoint account, so every FR-keyed
        // table is keyed by (source, FR id); the tables are rebuilt because SQLite cannot
        // change a primary key, a foreign key or a UNIQUE constraint in place. What was there
        // belongs to the source `default`, in the pool `shared`. Stock belongs to a pool, and a
        // source's reservations count against its pool through `source.pool`.
        try db.execute(
            sql: """
                CREATE TABLE source (
                    name TEXT PRIMARY KEY,
                    pool TEXT NOT NULL
                );
                INSERT INTO source (name, pool) VALUES ('default', 'shared');

                CREATE TABLE fr_v6 (
                    source_name TEXT NOT NULL,
                    id INTEGER NOT NULL,
                    number TEXT,
                    raw_json TEXT NOT NULL,
                    created_at DATETIME,
                    upstream_status TEXT,
                    first_seen DATETIME NOT NULL,
                    last_seen DATETIME NOT NULL,
                    checked_at DATETIME,
                    PRIMARY KEY (source_name, id)
                );
                INSERT INTO fr_v6 SELECT 'default', id, number, raw_json, created_at, upstream_status, first_seen,
                    last_seen, checked_at FROM fr;

                CREATE TABLE decision_v6 (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    source_name TEXT NOT NULL,
                    fr_id INTEGER NOT NULL,
                    cycle_id INTEGER REFERENCES cycle(id),
                    decision TEXT NOT NULL CHECK (decision IN ('acknowledge', 'split', 'cancel', 'hold')),
                    rule TEXT NOT NULL,
                    reason TEXT,
                    remainder TEXT CHECK (remainder IS NULL OR remainder IN ('fill', 'kill')),
                    note TEXT,
                    lines_json TEXT NOT NULL,
                    trace_json TEXT NOT NULL,
                    facts_json TEXT NOT NULL,
                    decided_now DATETIME NOT NULL,
                    rules_sha256 TEXT NOT NULL CHECK (length(rules_sha256) = 64),
                    decided_at DATETIME NOT NULL,
                    withdrawn_at DATETIME,
                    fr_sha256 TEXT,
                    fr_json TEXT,
                    held_since DATETIME,
                    decided_by TEXT,
                    hold_until DATETIME,
                    FOREIGN KEY (source_name, fr_id) REFERENCES fr_v6(source_name, id)
                );
                INSERT INTO decision_v6 SELECT id, 'default', fr_id, cycle_id, decision, rule, reason, remainder,
                    note, lines_json, trace_json, facts_json, decided_now, rules_sha256, decided_at, withdrawn_at,
                    fr_sha256, fr_json, held_since, decided_by, hold_until FROM decision;

                CREATE TABLE outbox_v6 (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    source_name TEXT NOT NULL,
                    fr_id INTEGER NOT NULL,
                    decision_id INTEGER NOT NULL UNIQUE REFERENCES decision_v6(id),
                    kind TEXT NOT NULL CHECK (kind IN ('acknowledge', 'adjust')),
                    body_json TEXT,
                    state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed', 'withdrawn')),
                    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                    last_error TEXT,
                    outcome TEXT,
                    next_attempt_at DATETIME,
                    created_at DATETIME NOT NULL,
                    updated_at DATETIME NOT NULL,
                    FOREIGN KEY (source_name, fr_id) REFERENCES fr_v6(source_name, id)
                );
                INSERT INTO outbox_v6 SELECT id, 'default', fr_id, decision_id, kind, body_json, state, attempts,
                    last_error, outcome, next_attempt_at, created_at, updated_at FROM outbox;

                CREATE TABLE shipment_v6 (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    source_name TEXT NOT NULL,
                    fr_id INTEGER NOT NULL,
                    tracking_number TEXT NOT NULL,
                    carrier TEXT,
                    method TEXT,
                    shipped_at DATETIME NOT NULL,
                    body_json TEXT NOT NULL,
                    units INTEGER NOT NULL CHECK (units > 0),
                    source TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
                    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                    last_error TEXT,
                    created_at DATETIME NOT NULL,
                    updated_at DATETIME NOT NULL,
                    UNIQUE (source_name, fr_id, tracking_number),
                    FOREIGN KEY (source_name, fr_id) REFERENCES fr_v6(source_name, id)
                );
                INSERT INTO shipment_v6 SELECT id, 'default', fr_id, tracking_number, carrier, method, shipped_at,
                    body_json, units, source, state, attempts, last_error, created_at, updated_at FROM shipment;

                CREATE TABLE reservation_v6 (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    source_name TEXT NOT NULL,
                    fr_id INTEGER NOT NULL,
                    decision_id INTEGER NOT NULL REFERENCES decision_v6(id),
                    sku TEXT NOT NULL,
                    location TEXT NOT NULL,
                    quantity INTEGER NOT NULL CHECK (quantity > 0),
                    state TEXT NOT NULL CHECK (state IN ('held', 'released', 'shipped')),
                    ended_at DATETIME,
                    end_reason TEXT,
                    shipment_id INTEGER REFERENCES shipment_v6(id),
                    CHECK ((state = 'held') = (ended_at IS NULL)),
                    FOREIGN KEY (source_name, fr_id) REFERENCES fr_v6(source_name, id)
                );
                INSERT INTO reservation_v6 SELECT id, 'default', fr_id, decision_id, sku, location, quantity, state,
                    ended_at, end_reason, shipment_id FROM reservation;

                DROP TABLE reservation;
                DROP TABLE outbox;
                DROP TABLE shipment;
                DROP TABLE decision;
                DROP TABLE fr;
                ALTER TABLE fr_v6 RENAME TO fr;
                ALTER TABLE decision_v6 RENAME TO decision;
                ALTER TABLE outbox_v6 RENAME TO outbox;
                ALTER TABLE shipment_v6 RENAME TO shipment;
                ALTER TABLE reservation_v6 RENAME TO reservation;

                CREATE INDEX fr_number ON fr(number);
                CREATE INDEX fr_seen ON fr(last_seen);
                CREATE INDEX decision_fr ON decision(source_name, fr_id, id);
                CREATE UNIQUE INDEX decision_one_answer ON decision(source_name, fr_id)
                    WHERE decision != 'hold' AND withdrawn_at IS NULL;
                CREATE INDEX decision_time ON decision(decided_at);
                CREATE INDEX decision_by ON decision(decided_by) WHERE decided_by IS NOT NULL;
                CREATE UNIQUE INDEX outbox_one_answer ON outbox(source_name, fr_id) WHERE state != 'withdrawn';
                CREATE INDEX outbox_pending ON outbox(state, id);
                CREATE INDEX shipment_pending ON shipment(state, id);
                CREATE INDEX reservation_held ON reservation(state, sku);
                CREATE INDEX reservation_fr ON reservation(source_name, fr_id);
                CREATE INDEX reservation_shipped ON reservation(ended_at) WHERE state = 'shipped';

                ALTER TABLE cycle ADD COLUMN source_name TEXT NOT NULL DEFAULT 'default';
                CREATE INDEX cycle_source ON cycle(source_name, id);
                ALTER TABLE quarantine ADD COLUMN source_name TEXT NOT NULL DEFAULT 'default';
                ALTER TABLE alert ADD COLUMN source_name TEXT NOT NULL DEFAULT 'default';
                DROP INDEX alert_once_per_fr;
                CREATE UNIQUE INDEX alert_once_per_fr ON alert(event, source_name, fr_id) WHERE fr_id IS NOT NULL;

                CREATE TABLE stock_v6 (
                    pool TEXT NOT NULL,
                    sku TEXT NOT NULL,
                    location TEXT NOT NULL,
                    on_hand INTEGER NOT NULL CHECK (on_hand >= 0),
                    cost REAL CHECK (cost IS NULL OR cost >= 0),
                    PRIMARY KEY (pool, sku, location)
                );
                INSERT INTO stock_v6 SELECT 'shared', sku, location, on_hand, cost FROM stock;
                DROP TABLE stock;
                ALTER TABLE stock_v6 RENAME TO stock;
                ALTER TABLE stock_import ADD COLUMN pool TEXT NOT NULL DEFAULT 'shared';

                CREATE TABLE inventory_variant_v6 (
                    source_name TEXT NOT NULL,
                    sku TEXT NOT NULL,
                    variant_id INTEGER NOT NULL,
                    fetched_at DATETIME NOT NULL,
                    PRIMARY KEY (source_name, sku)
                );
                INSERT INTO inventory_variant_v6 SELECT 'default', sku, variant_id, fetched_at FROM inventory_variant;
                DROP TABLE inventory_variant;
                ALTER TABLE inventory_variant_v6 RENAME TO inventory_variant;
                CREATE TABLE inventory_push_v6 (
                    source_name TEXT NOT NULL,
                    sku TEXT NOT NULL,
                    quantity INTEGER NOT NULL CHECK (quantity >= 0),
                    cost REAL,
                    pushed_at DATETIME NOT NULL,
                    PRIMARY KEY (source_name, sku)
                );
                INSERT INTO inventory_push_v6 SELECT 'default', sku, quantity, cost, pushed_at FROM inventory_push;
                DROP TABLE inventory_push;
                ALTER TABLE inventory_push_v6 RENAME TO inventory_push;
                """)
    }
}
