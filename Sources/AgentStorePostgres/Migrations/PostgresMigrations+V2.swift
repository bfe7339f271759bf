extension PostgresMigrations {
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
}
