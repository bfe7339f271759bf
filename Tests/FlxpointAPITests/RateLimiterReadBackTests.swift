import Foundation
import Synchronization
import Testing

@testable import FlxpointAPI

/// The limiter checks what it reads back like any input: a slot file left by a crashed or
/// mistaken run (a 300-digit time, NaN, words) is reset to now with one warning, and no rate
/// a caller passes makes it wait longer than the slowest setting allows, or trap.
@Suite("Rate limiter: state read back is checked")
struct RateLimiterReadBackTests {
    /// What the limiter said, and the waits it announced.
    final class Told: Sendable {
        let lines = Mutex<[String]>([])
        let waits = Mutex<[Duration]>([])
    }

    @Test(
        "an impossible slot in the file is reset to now, said once, and never slept on",
        arguments: ["1" + String(repeating: "0", count: 300), "1e300", "nan", "inf", "soon", "99999999999999"])
    func absurdSlotFile(_ stored: String) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("slot-\(UUID().uuidString).rate").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try stored.write(toFile: path, atomically: true, encoding: .utf8)
        let told = Told()
        let limiter = RateLimiter(requestsPerSecond: 1000, slotFile: path) { line in
            told.lines.withLock { $0.append(line) }
        }
        for _ in 0..<3 {
            try await limiter.acquire { wait in told.waits.withLock { $0.append(wait) } }
        }
        let lines = told.lines.withLock { $0 }
        #expect(lines.count == 1 && lines[0].contains(path) && lines[0].contains("reset to now"), "\(lines)")
        // Three slots at 1000/s: every wait announced is a slot's spacing, never the stored time.
        #expect(told.waits.withLock { $0 }.allSatisfy { $0 < .milliseconds(10) })
        let rewritten = try #require(Double(try String(contentsOfFile: path, encoding: .utf8)))
        #expect(rewritten < Date().timeIntervalSince1970 + 1)
    }

    @Test("no rate makes a wait longer than the slowest setting's, or traps")
    func intervals() {
        for rate in [1e-300, 5e-324, -1, 0, -0.0, .nan, .infinity, -.infinity, 1e308] {
            let interval = RateLimiter.interval(rate)
            #expect(interval.isFinite && interval >= 0 && interval <= RateLimiter.longestWait, "\(rate)")
        }
        #expect(RateLimiter.interval(2) == 1.05 / 2)
        #expect(RateLimiter.interval(0.01) == 105)
    }

    @Test("a pause asked for a thousand years holds callers back an hour at most")
    func longPause() async throws {
        let told = Told()
        let limiter = RateLimiter(requestsPerSecond: 1000)
        await limiter.pause(for: .seconds(3e10))
        let task = Task { try await limiter.acquire { wait in told.waits.withLock { $0.append(wait) } } }
        try await Task.sleep(for: .milliseconds(100))
        task.cancel()
        _ = try? await task.value
        let waits = told.waits.withLock { $0 }
        #expect(waits.count == 1 && waits[0] <= .seconds(RateLimiter.longestWait), "\(waits)")
    }
}
