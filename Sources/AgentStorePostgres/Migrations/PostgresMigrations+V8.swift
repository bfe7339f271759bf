extension PostgresMigrations {
    /// Kits, as SQLite's v14: each pool's kit SKUs and the components one kit takes, in the
    /// file's order, with the import that brought them.
    static let v8: [String] = [
        """
        CREATE TABLE kit (
            pool text NOT NULL,
            kit_sku text NOT NULL,
            component_sku text NOT NULL,
            quantity integer NOT NULL CHECK (quantity BETWEEN 1 AND 10000),
            position integer NOT NULL,
            imported_at timestamptz NOT NULL,
            source text NOT NULL,
            PRIMARY KEY (pool, kit_sku, component_sku),
            CHECK (kit_sku <> component_sku)
        )
        """,
        "CREATE INDEX kit_order ON kit(pool, position)",
    ]
}
