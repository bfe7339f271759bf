extension PostgresMigrations {
    /// The FR's decisions index covers what the latest-decision lookups read, as SQLite's v10.
    static let v5: [String] = [
        "DROP INDEX decision_fr",
        "CREATE INDEX decision_fr ON decision(source_name, fr_id, id, decision, withdrawn_at)",
    ]
}
