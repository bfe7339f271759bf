extension PostgresMigrations {
    /// Stock on its way, as SQLite's v15: each pool's expected arrivals, and the arrival a
    /// reservation was promised from. Such a reservation takes nothing from the shelf, so the
    /// backstop's running total (v4) leaves it out, as it leaves out backorders.
    static let v9: [String] = [
        """
        CREATE TABLE inbound (
            pool text NOT NULL,
            position integer NOT NULL,
            sku text NOT NULL,
            location text NOT NULL,
            quantity bigint NOT NULL CHECK (quantity BETWEEN 1 AND 1000000000),
            expected_at timestamptz NOT NULL,
            imported_at timestamptz NOT NULL,
            source text NOT NULL,
            PRIMARY KEY (pool, position)
        )
        """,
        "ALTER TABLE reservation ADD COLUMN inbound_at timestamptz",
        """
        CREATE OR REPLACE FUNCTION reservation_within_stock() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            before_units bigint := 0;
            after_units bigint := 0;
            source_pool text;
            held bigint;
            counted bigint;
        BEGIN
            IF TG_OP <> 'INSERT' AND OLD.state = 'held' AND NOT OLD.backordered AND OLD.inbound_at IS NULL THEN
                before_units := OLD.quantity;
                UPDATE shelf_held SET units = units - OLD.quantity
                WHERE source_name = OLD.source_name AND sku = OLD.sku AND location = OLD.location;
            END IF;
            IF TG_OP <> 'DELETE' AND NEW.state = 'held' AND NOT NEW.backordered AND NEW.inbound_at IS NULL THEN
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
    ]
}
