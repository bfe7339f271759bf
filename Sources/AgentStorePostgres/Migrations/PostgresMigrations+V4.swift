extension PostgresMigrations {
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
}
