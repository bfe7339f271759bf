import GRDB

extension Migrations {
    /// Stock on its way: each pool's expected arrivals, in the file's order; a reservation
    /// promised from one names when it is expected (`inbound_at`), so it is taken from that
    /// arrival, not the shelf, until the count that receives it.
    static func v15(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE inbound (
                    pool TEXT NOT NULL,
                    position INTEGER NOT NULL,
                    sku TEXT NOT NULL,
                    location TEXT NOT NULL,
                    quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 1000000000),
                    expected_at DATETIME NOT NULL,
                    imported_at DATETIME NOT NULL,
                    source TEXT NOT NULL,
                    PRIMARY KEY (pool, position)
                );
                ALTER TABLE reservation ADD COLUMN inbound_at DATETIME;
                """)
    }
}
