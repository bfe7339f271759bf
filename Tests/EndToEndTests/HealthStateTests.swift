import Foundation
import SourceAgent
import Testing

@Suite("Health")
struct HealthStateTests {
    struct Failure: Error {}

    @Test("healthy only after a successful cycle within three intervals, sub-second intervals included")
    func health() async {
        let health = HealthState()
        let start = Date(timeIntervalSince1970: 1_000_000)
        #expect(await !health.isHealthy(now: start, interval: .seconds(60)))
        await health.record(finishedAt: start, error: nil)
        #expect(await health.isHealthy(now: start.addingTimeInterval(0.8), interval: .milliseconds(300)))
        #expect(await !health.isHealthy(now: start.addingTimeInterval(1.0), interval: .milliseconds(300)))
        #expect(await health.isHealthy(now: start.addingTimeInterval(179), interval: .seconds(60)))
        await health.record(finishedAt: start, error: Failure())
        #expect(await !health.isHealthy(now: start, interval: .seconds(60)))
    }
}
