extension PostgresMigrations {
    /// The next free request slot of each token, by the database's clock. The token is kept as
    /// a hash (`FlxpointToken`'s fingerprint), never itself.
    static let v3: [String] = [
        "CREATE TABLE rate_slot (token_key text PRIMARY KEY, next_at timestamptz NOT NULL)"
    ]
}
