import FlxpointAPI
import Foundation
import PostgresNIO

/// Request slots per token in the shared database: every process using a token, on any
/// machine, reserves its next request here, so together they stay within Flxpoint's limit.
public struct PostgresRateSlots: SharedRateBudget {
    let database: PostgresDatabase
    /// A hash of the token, never the token.
    let key: String

    public init(store: PostgresStore, key: String) {
        database = store.database
        self.key = key
    }

    /// Reserves the slot after the last one (or now), `interval` seconds apart, by the
    /// database's clock; returns the seconds to wait for it. A stored slot further ahead than
    /// `RateLimiter.longestWait` was not written by a limiter: it is read as now (see `repair`).
    public func reserve(interval: Double) async throws -> Double {
        let interval = interval.isFinite ? min(max(0, interval), RateLimiter.longestWait) : 0
        return try await database.write { connection in
            try await connection.value(
                Double.self,
                """
                INSERT INTO rate_slot AS r (token_key, next_at)
                VALUES (\(key), clock_timestamp() + make_interval(secs => \(interval)))
                ON CONFLICT (token_key) DO UPDATE
                    SET next_at = greatest(
                        least(r.next_at, clock_timestamp() + make_interval(secs => \(RateLimiter.longestWait))),
                        clock_timestamp()) + make_interval(secs => \(interval))
                RETURNING greatest(0, extract(epoch FROM r.next_at - clock_timestamp()) - \(interval))::double precision
                """, database.logger) ?? 0
        }
    }

    /// Moves the next free slot to at least `seconds` (at most `RateLimiter.longestWait`) from now.
    public func hold(for seconds: Double) async throws {
        let seconds = seconds.isFinite ? min(max(0, seconds), RateLimiter.longestWait) : 0
        try await database.write { connection in
            try await connection.run(
                """
                INSERT INTO rate_slot AS r (token_key, next_at)
                VALUES (\(key), clock_timestamp() + make_interval(secs => \(seconds)))
                ON CONFLICT (token_key) DO UPDATE
                    SET next_at = greatest(
                        least(r.next_at, clock_timestamp() + make_interval(secs => \(RateLimiter.longestWait))),
                        clock_timestamp() + make_interval(secs => \(seconds)))
                """, database.logger)
        }
    }
}
