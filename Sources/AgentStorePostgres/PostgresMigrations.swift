import Foundation
import Logging
import PostgresNIO

/// The PostgreSQL schema, as numbered migrations: appended, never edited. Its first version
/// is the SQLite engine's schema as it stands after its own eight migrations, with PostgreSQL
/// types (`timestamptz`, `boolean`, identity columns); the same constraints keep the agent's
/// promises: at most one live answer per FR, at most one live non-hold decision per FR, no
/// negative stock, reservations tied to a decision.
enum PostgresMigrations {
    /// (version, name, SQL statements).
    static let all: [(version: Int, name: String, statements: [String])] = [
        (1, "the store: sources, FRs, decisions, outbox, stock, reservations, shipments, alerts", v1),
        (2, "leases: live processes, a lease per source, the epoch of each send", v2),
        (3, "a request budget per token, shared by every process", v3),
        (4, "backstop: units held from the shelf never exceed the units on hand", v4),
        (5, "decisions by FR, covering the latest-decision lookups", v5),
    ]

    /// A fixed key for the transaction-scoped lock that keeps two starting agents from
    /// migrating at once ("SAMG" in ASCII).
    static let lockKey: Int64 = 0x5341_4D47

    /// Applies every migration not yet applied, in one transaction under the migration lock:
    /// a second process starting at the same moment waits, then finds nothing left to do.
    /// Returns the versions applied now.
    @discardableResult
    static func migrate(_ database: PostgresDatabase) async throws -> [Int] {
        let logger = database.logger
        return try await database.write { connection in
            try await connection.run("SELECT pg_advisory_xact_lock(\(lockKey))", logger)
            try await connection.run(
                """
                CREATE TABLE IF NOT EXISTS schema_migration (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, logger)
            let applied = Set(try await connection.values(Int.self, "SELECT version FROM schema_migration", logger))
            if let newest = applied.max(), newest > all.count {
                throw PostgresStatementError(
                    description:
                        "the database's schema is version \(newest), newer than this build knows (\(all.count)): "
                        + "upgrade source-agent", sqlState: nil)
            }
            var done: [Int] = []
            for migration in all where !applied.contains(migration.version) {
                for statement in migration.statements {
                    try await connection.run(PostgresQuery(unsafeSQL: statement), logger)
                }
                try await connection.run(
                    "INSERT INTO schema_migration (version, name) VALUES (\(migration.version), \(migration.name))",
                    logger)
                done.append(migration.version)
            }
            return done
        }
    }

    /// The processes alive and the lease of each source: holder, epoch (the fencing number,
    /// grown at every acquisition), expiry by the database's clock. An answer records the epoch
    /// its send was counted under.
    static let v2: [String] = [
        """
        CREATE TABLE agent_process (
            holder text PRIMARY KEY,
            host text NOT NULL,
            pid integer NOT NULL,
            started_at timestamptz NOT NULL DEFAULT now(),
            seen_at timestamptz NOT NULL
        )
        """,
        """
        CREATE TABLE lease (
            source_name text PRIMARY KEY,
            holder text,
            epoch bigint NOT NULL DEFAULT 0 CHECK (epoch >= 0),
            expires_at timestamptz,
            acquired_at timestamptz,
            renewed_at timestamptz,
            takeovers integer NOT NULL DEFAULT 0 CHECK (takeovers >= 0)
        )
        """,
        "ALTER TABLE outbox ADD COLUMN attempt_epoch bigint",
    ]

    /// The next free request slot of each token, by the database's clock. The token is kept as
    /// a hash (`FlxpointToken`'s fingerprint), never itself.
    static let v3: [String] = [
        "CREATE TABLE rate_slot (token_key text PRIMARY KEY, next_at timestamptz NOT NULL)"
    ]

    /// The FR's decisions index covers what the latest-decision lookups read, as SQLite's v10.
    static let v5: [String] = [
        "DROP INDEX decision_fr",
        "CREATE INDEX decision_fr ON decision(source_name, fr_id, id, decision, withdrawn_at)",
    ]

    /// The backstop under the pool lock's promise check: the units held from the shelf (not
    /// backorders, owed beyond stock by design) never exceed the units on hand. A running total
    /// per source, SKU and location (`shelf_held`) is kept by a trigger on every change of a
    /// reservation, so the check is a few key lookups, not a scan of every held reservation:
    /// a new or grown reservation is refused when the pool's sources together would hold more
    /// than the count at that location. The trigger takes the pool's transaction lock itself,
    /// so even a writer that forgot it is checked against a settled total. Only growth is
    /// checked: a recount below what is held must still be recorded, and shipping or releasing
    /// never fails. `db copy` turns the check off for its transaction (history moves as it
    /// was); the totals are kept all the same.
    static let v4: [String] = [
        "ALTER TABLE reservation ADD COLUMN backordered boolean NOT NULL DEFAULT false",
        // The one spelling of a pool's transaction lock: the agent's writes and the trigger
        // below must take the same lock.
        """
        CREATE FUNCTION lock_pool(pool text) RETURNS void LANGUAGE sql AS $$
            SELECT pg_advisory_xact_lock(hashtextextended('pool:' || pool, 0))
        $$
        """,
        """
        CREATE TABLE shelf_held (
            source_name text NOT NULL,
            sku text NOT NULL,
            location text NOT NULL,
            units bigint NOT NULL CHECK (units >= 0),
            PRIMARY KEY (source_name, sku, location)
        )
        """,
        """
        INSERT INTO shelf_held (source_name, sku, location, units)
        SELECT source_name, sku, location, sum(quantity) FROM reservation
        WHERE state = 'held' AND NOT backordered GROUP BY source_name, sku, location
        """,
        """
        CREATE FUNCTION reservation_within_stock() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            before_units bigint := 0;
            after_units bigint := 0;
            source_pool text;
            held bigint;
            counted bigint;
        BEGIN
            IF TG_OP <> 'INSERT' AND OLD.state = 'held' AND NOT OLD.backordered THEN
                before_units := OLD.quantity;
                UPDATE shelf_held SET units = units - OLD.quantity
                WHERE source_name = OLD.source_name AND sku = OLD.sku AND location = OLD.location;
            END IF;
            IF TG_OP <> 'DELETE' AND NEW.state = 'held' AND NOT NEW.backordered THEN
                after_units := NEW.quantity;
                INSERT INTO shelf_held AS h (source_name, sku, location, units)
                VALUES (NEW.source_name, NEW.sku, NEW.location, NEW.quantity)
                ON CONFLICT (source_name, sku, location) DO UPDATE SET units = h.units + excluded.units;
            END IF;
            IF after_units <= before_units
               OR coalesce(current_setting('source_agent.copying', true), '') = 'on' THEN
                RETURN NULL;
            END IF;
            SELECT pool INTO source_pool FROM source WHERE name = NEW.source_name;
            PERFORM lock_pool(source_pool);
            SELECT coalesce(sum(h.units), 0) INTO held FROM shelf_held h
            WHERE h.sku = NEW.sku AND h.location = NEW.location
              AND h.source_name IN (SELECT name FROM source WHERE pool = source_pool);
            SELECT coalesce(sum(k.on_hand), 0) INTO counted FROM stock k
            WHERE k.pool = source_pool AND k.sku = NEW.sku AND k.location = NEW.location;
            IF held > counted THEN
                RAISE EXCEPTION 'reservation_within_stock: pool %: % units of % at % would be held from the shelf, % on hand',
                    source_pool, held, NEW.sku, NEW.location, counted
                    USING ERRCODE = 'check_violation', CONSTRAINT = 'reservation_within_stock';
            END IF;
            RETURN NULL;
        END
        $$
        """,
        """
        CREATE TRIGGER reservation_within_stock AFTER INSERT OR UPDATE OR DELETE ON reservation
        FOR EACH ROW EXECUTE FUNCTION reservation_within_stock()
        """,
    ]

    static let v1: [String] = [
        "CREATE TABLE source (name text PRIMARY KEY, pool text NOT NULL)",
        // The source of a single-source setup, as the SQLite engine has it.
        "INSERT INTO source (name, pool) VALUES ('default', 'shared')",
        """
        CREATE TABLE fr (
            source_name text NOT NULL,
            id bigint NOT NULL,
            number text,
            raw_json text NOT NULL,
            created_at timestamptz,
            upstream_status text,
            first_seen timestamptz NOT NULL,
            last_seen timestamptz NOT NULL,
            checked_at timestamptz,
            ship_by_day text,
            PRIMARY KEY (source_name, id)
        )
        """,
        "CREATE INDEX fr_number ON fr(number)",
        "CREATE INDEX fr_seen ON fr(last_seen)",
        // The ship-by day as Flxpoint wrote it, kept beside the FR so ordering the outbox reads
        // no JSON; text that is not JSON has none.
        """
        CREATE FUNCTION ship_by_day(raw text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
        DECLARE j json;
        BEGIN
            j := raw::json;
            IF json_typeof(j) <> 'object' THEN RETURN NULL; END IF;
            RETURN substr(coalesce(j->>'dueDate', j->>'shipByDate', j->>'requiredShipDate'), 1, 10);
        EXCEPTION WHEN others THEN
            RETURN NULL;
        END $$
        """,
        """
        CREATE TABLE cycle (
            id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            source_name text NOT NULL,
            started_at timestamptz NOT NULL,
            finished_at timestamptz,
            fetched integer NOT NULL DEFAULT 0 CHECK (fetched >= 0),
            decided integer NOT NULL DEFAULT 0 CHECK (decided >= 0),
            sent integer NOT NULL DEFAULT 0 CHECK (sent >= 0),
            failed integer NOT NULL DEFAULT 0 CHECK (failed >= 0),
            quarantined integer NOT NULL DEFAULT 0 CHECK (quarantined >= 0),
            guard_tripped boolean NOT NULL DEFAULT false,
            error text,
            withdrawn integer NOT NULL DEFAULT 0 CHECK (withdrawn >= 0),
            oldest_hold_since timestamptz,
            holds_past_ship_by integer NOT NULL DEFAULT 0 CHECK (holds_past_ship_by >= 0),
            listed_at timestamptz
        )
        """,
        "CREATE INDEX cycle_source ON cycle(source_name, id)",
        """
        CREATE TABLE decision (
            id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            source_name text NOT NULL,
            fr_id bigint NOT NULL,
            cycle_id bigint REFERENCES cycle(id),
            decision text NOT NULL CHECK (decision IN ('acknowledge', 'split', 'cancel', 'hold')),
            rule text NOT NULL,
            reason text,
            remainder text CHECK (remainder IS NULL OR remainder IN ('fill', 'kill')),
            note text,
            lines_json text NOT NULL,
            trace_json text NOT NULL,
            facts_json text NOT NULL,
            decided_now timestamptz NOT NULL,
            rules_sha256 text NOT NULL CHECK (length(rules_sha256) = 64),
            decided_at timestamptz NOT NULL,
            withdrawn_at timestamptz,
            fr_sha256 text,
            fr_json text,
            held_since timestamptz,
            decided_by text,
            hold_until timestamptz,
            override text CHECK (override IN ('paused', 'guard', 'give_way', 'escalated')),
            FOREIGN KEY (source_name, fr_id) REFERENCES fr(source_name, id)
        )
        """,
        "CREATE INDEX decision_fr ON decision(source_name, fr_id, id)",
        """
        CREATE UNIQUE INDEX decision_one_answer ON decision(source_name, fr_id)
            WHERE decision <> 'hold' AND withdrawn_at IS NULL
        """,
        "CREATE INDEX decision_time ON decision(decided_at)",
        "CREATE INDEX decision_by ON decision(decided_by) WHERE decided_by IS NOT NULL",
        """
        CREATE TABLE outbox (
            id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            source_name text NOT NULL,
            fr_id bigint NOT NULL,
            decision_id bigint NOT NULL UNIQUE REFERENCES decision(id),
            kind text NOT NULL CHECK (kind IN ('acknowledge', 'adjust')),
            body_json text,
            state text NOT NULL CHECK (state IN ('pending', 'done', 'failed', 'withdrawn')),
            attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
            last_error text,
            outcome text,
            next_attempt_at timestamptz,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            FOREIGN KEY (source_name, fr_id) REFERENCES fr(source_name, id)
        )
        """,
        "CREATE UNIQUE INDEX outbox_one_answer ON outbox(source_name, fr_id) WHERE state <> 'withdrawn'",
        "CREATE INDEX outbox_pending ON outbox(state, id)",
        """
        CREATE TABLE shipment (
            id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            source_name text NOT NULL,
            fr_id bigint NOT NULL,
            tracking_number text NOT NULL,
            carrier text,
            method text,
            shipped_at timestamptz NOT NULL,
            body_json text NOT NULL,
            units integer NOT NULL CHECK (units > 0),
            source text NOT NULL,
            state text NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
            attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
            last_error text,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            UNIQUE (source_name, fr_id, tracking_number),
            FOREIGN KEY (source_name, fr_id) REFERENCES fr(source_name, id)
        )
        """,
        "CREATE INDEX shipment_pending ON shipment(state, id)",
        "CREATE INDEX shipment_fr ON shipment(source_name, fr_id)",
        """
        CREATE TABLE reservation (
            id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            source_name text NOT NULL,
            fr_id bigint NOT NULL,
            decision_id bigint NOT NULL REFERENCES decision(id),
            sku text NOT NULL,
            location text NOT NULL,
            quantity integer NOT NULL CHECK (quantity > 0),
            state text NOT NULL CHECK (state IN ('held', 'released', 'shipped')),
            ended_at timestamptz,
            end_reason text,
            shipment_id bigint REFERENCES shipment(id),
            CHECK ((state = 'held') = (ended_at IS NULL)),
            FOREIGN KEY (source_name, fr_id) REFERENCES fr(source_name, id)
        )
        """,
        "CREATE INDEX reservation_held ON reservation(state, sku)",
        "CREATE INDEX reservation_fr ON reservation(source_name, fr_id)",
        "CREATE INDEX reservation_shipped ON reservation(ended_at) WHERE state = 'shipped'",
        """
        CREATE TABLE stock (
            pool text NOT NULL,
            sku text NOT NULL,
            location text NOT NULL,
            on_hand integer NOT NULL CHECK (on_hand >= 0),
            cost double precision CHECK (cost IS NULL OR cost >= 0),
            PRIMARY KEY (pool, sku, location)
        )
        """,
        """
        CREATE TABLE stock_import (
            id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            pool text NOT NULL,
            imported_at timestamptz NOT NULL,
            as_of timestamptz,
            source text NOT NULL,
            rows integer NOT NULL CHECK (rows >= 0)
        )
        """,
        """
        CREATE TABLE quarantine (
            id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            source_name text NOT NULL,
            fr_id bigint,
            raw_sha256 text NOT NULL UNIQUE,
            raw_json text NOT NULL,
            error text NOT NULL,
            first_seen timestamptz NOT NULL,
            last_seen timestamptz NOT NULL,
            times_seen integer NOT NULL DEFAULT 1 CHECK (times_seen >= 1),
            resolved boolean NOT NULL DEFAULT false
        )
        """,
        "CREATE INDEX quarantine_fr ON quarantine(fr_id)",
        """
        CREATE TABLE alert (
            id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            event text NOT NULL,
            source_name text NOT NULL,
            fr_id bigint,
            payload_json text NOT NULL,
            state text NOT NULL CHECK (state IN ('pending', 'sent', 'dropped')),
            attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
            next_attempt_at timestamptz,
            last_error text,
            created_at timestamptz NOT NULL
        )
        """,
        "CREATE UNIQUE INDEX alert_once_per_fr ON alert(event, source_name, fr_id) WHERE fr_id IS NOT NULL",
        "CREATE INDEX alert_pending ON alert(state, id)",
        "CREATE INDEX alert_event ON alert(event, created_at)",
        """
        CREATE TABLE inventory_variant (
            source_name text NOT NULL,
            sku text NOT NULL,
            variant_id bigint NOT NULL,
            fetched_at timestamptz NOT NULL,
            PRIMARY KEY (source_name, sku)
        )
        """,
        """
        CREATE TABLE inventory_push (
            source_name text NOT NULL,
            sku text NOT NULL,
            quantity integer NOT NULL CHECK (quantity >= 0),
            cost double precision,
            pushed_at timestamptz NOT NULL,
            PRIMARY KEY (source_name, sku)
        )
        """,
    ]
}
