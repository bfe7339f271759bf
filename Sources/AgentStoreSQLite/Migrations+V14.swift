import GRDB

extension Migrations {
    /// Kits: each pool's kit SKUs and the components one kit takes, in the file's order
    /// (`position`), with the import that brought them.
    static func v14(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE kit (
                    pool TEXT NOT NULL,
                    kit_sku TEXT NOT NULL,
                    component_sku TEXT NOT NULL,
                    quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 10000),
                    position INTEGER NOT NULL,
                    imported_at DATETIME NOT NULL,
                    source TEXT NOT NULL,
                    PRIMARY KEY (pool, kit_sku, component_sku),
                    CHECK (kit_sku <> component_sku)
                );
                CREATE INDEX kit_order ON kit(pool, position);
                """)
    }
}
