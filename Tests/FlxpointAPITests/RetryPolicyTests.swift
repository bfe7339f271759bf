import Foundation
import FulfillmentCore
import Testing

@testable import FlxpointAPI

@Suite("Retry policy and Retry-After")
struct RetryPolicyTests {
    @Test("Retry-After as seconds or as an HTTP-date")
    func retryAfter() throws {
        #expect(RetryAfter.parse("3") == .seconds(3))
        #expect(RetryAfter.parse(" 0 ") == .seconds(0))
        let now = try #require(ISO8601DateFormatter().date(from: "2026-11-27T15:00:00Z"))
        #expect(RetryAfter.parse("Fri, 27 Nov 2026 15:00:05 GMT", now: now) == .seconds(5))
        #expect(RetryAfter.parse("Fri, 27 Nov 2026 14:59:00 GMT", now: now) == .seconds(0))
        #expect(RetryAfter.parse("soon") == nil)
        #expect(RetryAfter.parse(nil) == nil)
        #expect(RetryAfter.parse("999999") == .seconds(3600))
    }

    @Test("back-off doubles with jitter and stops at the cap")
    func backoff() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: .milliseconds(500), maxDelay: .seconds(60))
        for attempt in 1...12 {
            let step = min(60, 0.5 * pow(2, Double(attempt - 1)))
            for _ in 0..<20 {
                let delay = policy.delay(afterAttempt: attempt).timeInterval
                #expect(delay >= step / 2 - 1e-9 && delay <= step + 1e-9, "attempt \(attempt): \(delay)")
            }
        }
    }
}
