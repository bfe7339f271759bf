extension PostgresMigrations {
    /// One policy for the fleet, as SQLite's v13: each rule version names its file and the
    /// version it replaced; one version in force per name; the version each process loaded;
    /// the claims on a shared tracking inbox.
    static let v7: [String] = [
        "ALTER TABLE rule_version ADD COLUMN name text NOT NULL DEFAULT ''",
        "ALTER TABLE rule_version ADD COLUMN replaces bigint REFERENCES rule_version(id)",
        "UPDATE rule_version SET name = regexp_replace(path, '^.*/', '')",
        "CREATE INDEX rule_version_name ON rule_version(name, id)",
        """
        CREATE TABLE rule_in_force (
            name text PRIMARY KEY,
            version_id bigint NOT NULL REFERENCES rule_version(id),
            since timestamptz NOT NULL
        )
        """,
        """
        CREATE TABLE rule_load (
            holder text NOT NULL,
            name text NOT NULL,
            path text NOT NULL,
            host text NOT NULL,
            pid integer NOT NULL,
            version_id bigint,
            sha256 text NOT NULL,
            loaded_at timestamptz NOT NULL,
            seen_at timestamptz NOT NULL,
            problem text,
            PRIMARY KEY (holder, name)
        )
        """,
        "CREATE INDEX rule_load_seen ON rule_load(seen_at)",
        "CREATE INDEX rule_load_copy ON rule_load(host, path, seen_at)",
        """
        CREATE TABLE inbox_claim (
            name text NOT NULL,
            sha256 text NOT NULL,
            holder text NOT NULL,
            claimed_at timestamptz NOT NULL,
            expires_at timestamptz NOT NULL,
            done_at timestamptz,
            PRIMARY KEY (name, sha256)
        )
        """,
    ]
}
