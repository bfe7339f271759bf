import AgentStore
import GRDB

/// The first schemas: decisions, outbox, stock over time, shipments, alerts, replay inputs and
/// decisions a person took.
extension Migrations {
    /// v1: decisions, outbox, stock, quarantine, cycles.
    static func v1(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE fr (
                    id INTEGER PRIMARY KEY,
                    number TEXT,
                    raw_json TEXT NOT NULL,
                    created_at DATETIME,
                    upstream_status TEXT,
                    first_seen DATETIME NOT NULL,
                    last_seen DATETIME NOT NULL
                );
                CREATE INDEX fr_number ON fr(number);

                CREATE TABLE cycle (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    started_at DATETIME NOT NULL,
                    finished_at DATETIME,
                    fetched INTEGER NOT NULL DEFAULT 0 CHECK (fetched >= 0),
                    decided INTEGER NOT NULL DEFAULT 0 CHECK (decided >= 0),
                    sent INTEGER NOT NULL DEFAULT 0 CHECK (sent >= 0),
                    failed INTEGER NOT NULL DEFAULT 0 CHECK (failed >= 0),
                    quarantined INTEGER NOT NULL DEFAULT 0 CHECK (quarantined >= 0),
                    guard_tripped INTEGER NOT NULL DEFAULT 0 CHECK (guard_tripped IN (0, 1)),
                    error TEXT
                );

                CREATE TABLE decision (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    fr_id INTEGER NOT NULL REFERENCES fr(id),
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
                    decided_at DATETIME NOT NULL
                );
                CREATE INDEX decision_fr ON decision(fr_id, id);
                CREATE UNIQUE INDEX decision_one_answer ON decision(fr_id) WHERE decision != 'hold';

                CREATE TABLE outbox (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    fr_id INTEGER NOT NULL UNIQUE REFERENCES fr(id),
                    decision_id INTEGER NOT NULL UNIQUE REFERENCES decision(id),
                    kind TEXT NOT NULL CHECK (kind IN ('acknowledge', 'adjust')),
                    body_json TEXT,
                    state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
                    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                    last_error TEXT,
                    outcome TEXT,
                    created_at DATETIME NOT NULL,
                    updated_at DATETIME NOT NULL
                );
                CREATE INDEX outbox_pending ON outbox(state, id);

                CREATE TABLE stock (
                    sku TEXT NOT NULL,
                    location TEXT NOT NULL,
                    on_hand INTEGER NOT NULL CHECK (on_hand >= 0),
                    cost REAL CHECK (cost IS NULL OR cost >= 0),
                    PRIMARY KEY (sku, location)
                );

                CREATE TABLE stock_import (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    imported_at DATETIME NOT NULL,
                    source TEXT NOT NULL,
                    rows INTEGER NOT NULL CHECK (rows >= 0)
                );

                CREATE TABLE reservation (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    fr_id INTEGER NOT NULL REFERENCES fr(id),
                    decision_id INTEGER NOT NULL REFERENCES decision(id),
                    sku TEXT NOT NULL,
                    location TEXT NOT NULL,
                    quantity INTEGER NOT NULL CHECK (quantity > 0),
                    state TEXT NOT NULL CHECK (state IN ('held', 'released', 'consumed'))
                );
                CREATE INDEX reservation_held ON reservation(state, sku);
                CREATE INDEX reservation_fr ON reservation(fr_id);

                CREATE TABLE quarantine (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    fr_id INTEGER,
                    raw_sha256 TEXT NOT NULL UNIQUE,
                    raw_json TEXT NOT NULL,
                    error TEXT NOT NULL,
                    first_seen DATETIME NOT NULL,
                    last_seen DATETIME NOT NULL,
                    times_seen INTEGER NOT NULL DEFAULT 1 CHECK (times_seen >= 1),
                    resolved INTEGER NOT NULL DEFAULT 0 CHECK (resolved IN (0, 1))
                );
                CREATE INDEX quarantine_fr ON quarantine(fr_id);
                """)
    }

    /// v2: stock over time, shipments, inventory push.
    static func v2(_ db: Database) throws {
        // SQLite cannot change a CHECK constraint in place: the reservation table is rebuilt
        // so a reservation can end as `shipped` (with its ship time) or `released`.
        try db.execute(
            sql: """
                ALTER TABLE stock_import ADD COLUMN as_of DATETIME;
                UPDATE stock_import SET as_of = imported_at;

                CREATE TABLE shipment (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    fr_id INTEGER NOT NULL REFERENCES fr(id),
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
                    UNIQUE (fr_id, tracking_number)
                );
                CREATE INDEX shipment_pending ON shipment(state, id);

                CREATE TABLE reservation_v2 (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    fr_id INTEGER NOT NULL REFERENCES fr(id),
                    decision_id INTEGER NOT NULL REFERENCES decision(id),
                    sku TEXT NOT NULL,
                    location TEXT NOT NULL,
                    quantity INTEGER NOT NULL CHECK (quantity > 0),
                    state TEXT NOT NULL CHECK (state IN ('held', 'released', 'shipped')),
                    ended_at DATETIME,
                    end_reason TEXT,
                    shipment_id INTEGER REFERENCES shipment(id),
                    CHECK ((state = 'held') = (ended_at IS NULL))
                );
                INSERT INTO reservation_v2 (id, fr_id, decision_id, sku, location, quantity, state, ended_at)
                    SELECT id, fr_id, decision_id, sku, location, quantity,
                           CASE state WHEN 'consumed' THEN 'shipped' ELSE state END,
                           CASE state WHEN 'held' THEN NULL ELSE datetime('now') END
                    FROM reservation;
                DROP TABLE reservation;
                ALTER TABLE reservation_v2 RENAME TO reservation;
                CREATE INDEX reservation_held ON reservation(state, sku);
                CREATE INDEX reservation_fr ON reservation(fr_id);
                CREATE INDEX reservation_shipped ON reservation(ended_at) WHERE state = 'shipped';

                ALTER TABLE fr ADD COLUMN checked_at DATETIME;

                CREATE TABLE inventory_variant (
                    sku TEXT PRIMARY KEY,
                    variant_id INTEGER NOT NULL,
                    fetched_at DATETIME NOT NULL
                );

                CREATE TABLE inventory_push (
                    sku TEXT PRIMARY KEY,
                    quantity INTEGER NOT NULL CHECK (quantity >= 0),
                    cost REAL,
                    pushed_at DATETIME NOT NULL
                );
                """)
    }

    /// v3: withdrawn answers, per-answer back-off, alerts.
    static func v3(_ db: Database) throws {
        // An answer can now be withdrawn (its FR changed upstream, or a person asked for a
        // new decision), so "one answer per FR" means one that is not withdrawn. The outbox
        // is rebuilt because SQLite cannot change its CHECK or UNIQUE constraints in place.
        try db.execute(
            sql: """
                ALTER TABLE decision ADD COLUMN withdrawn_at DATETIME;
                ALTER TABLE decision ADD COLUMN fr_sha256 TEXT;
                DROP INDEX decision_one_answer;
                CREATE UNIQUE INDEX decision_one_answer ON decision(fr_id)
                    WHERE decision != 'hold' AND withdrawn_at IS NULL;

                CREATE TABLE outbox_v3 (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    fr_id INTEGER NOT NULL REFERENCES fr(id),
                    decision_id INTEGER NOT NULL UNIQUE REFERENCES decision(id),
                    kind TEXT NOT NULL CHECK (kind IN ('acknowledge', 'adjust')),
                    body_json TEXT,
                    state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed', 'withdrawn')),
                    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                    last_error TEXT,
                    outcome TEXT,
                    next_attempt_at DATETIME,
                    created_at DATETIME NOT NULL,
                    updated_at DATETIME NOT NULL
                );
                INSERT INTO outbox_v3 (id, fr_id, decision_id, kind, body_json, state, attempts, last_error,
                                       outcome, created_at, updated_at)
                    SELECT id, fr_id, decision_id, kind, body_json, state, attempts, last_error, outcome,
                           created_at, updated_at
                    FROM outbox;
                DROP TABLE outbox;
                ALTER TABLE outbox_v3 RENAME TO outbox;
                CREATE UNIQUE INDEX outbox_one_answer ON outbox(fr_id) WHERE state != 'withdrawn';
                CREATE INDEX outbox_pending ON outbox(state, id);

                ALTER TABLE cycle ADD COLUMN withdrawn INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn >= 0);
                ALTER TABLE cycle ADD COLUMN oldest_hold_since DATETIME;
                ALTER TABLE cycle ADD COLUMN holds_past_ship_by INTEGER NOT NULL DEFAULT 0
                    CHECK (holds_past_ship_by >= 0);

                CREATE TABLE alert (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    event TEXT NOT NULL,
                    fr_id INTEGER,
                    payload_json TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'dropped')),
                    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                    next_attempt_at DATETIME,
                    last_error TEXT,
                    created_at DATETIME NOT NULL
                );
                CREATE UNIQUE INDEX alert_once_per_fr ON alert(event, fr_id) WHERE fr_id IS NOT NULL;
                CREATE INDEX alert_pending ON alert(state, id);
                CREATE INDEX alert_event ON alert(event, created_at);
                """)
    }

    /// v4: replay inputs on each decision.
    static func v4(_ db: Database) throws {
        // The FR as it was when decided (fr.raw_json only keeps the latest version) and when
        // it was first held, so `replay` re-decides from exactly what the agent saw.
        try db.execute(
            sql: """
                ALTER TABLE decision ADD COLUMN fr_json TEXT;
                ALTER TABLE decision ADD COLUMN held_since DATETIME;
                CREATE INDEX decision_time ON decision(decided_at);
                """)
    }

    /// v5: decisions taken by a person.
    static func v5(_ db: Database) throws {
        // `decided_by` names the person behind a `manual` decision; `hold_until` is when a
        // person's keep-holding lets the rules take the FR again (NULL: until a person acts).
        // `cycle.listed_at` marks a complete read of the open list, so a hold whose FR left
        // it (voided, answered elsewhere) leaves the hold queue.
        try db.execute(
            sql: """
                ALTER TABLE decision ADD COLUMN decided_by TEXT;
                ALTER TABLE decision ADD COLUMN hold_until DATETIME;
                CREATE INDEX decision_by ON decision(decided_by) WHERE decided_by IS NOT NULL;
                ALTER TABLE cycle ADD COLUMN listed_at DATETIME;
                """)
    }
}
