import AgentTesting
import Foundation
import Logging
import ServiceLifecycle
import SourceAgent
import Synchronization
import Testing

/// The daemon's services end when their group is cancelled (it cancels every service when
/// one of them ends or fails), not only on a graceful shutdown: a loop that waited for the
/// latter alone spun at full speed, each of its sleeps throwing at once, and the process never
/// exited.
@Suite("Services end on cancellation")
struct ServiceEndTests {
    /// A service that ends at once, as a console that failed to bind would.
    struct EndsAtOnce: Service {
        func run() async throws {}
    }

    /// Set once, read from anywhere.
    final class Flag: Sendable {
        private let value = Atomic<Bool>(false)
        var isSet: Bool { value.load(ordering: .sequentiallyConsistent) }
        func set() { value.store(true, ordering: .sequentiallyConsistent) }
    }

    @Test("a cycle loop and the alert delivery end when another service ends")
    func endOnCancellation() async throws {
        let seed = AgentFixture.simpleFRs([("A", 1)])
        try await AgentFixture.withAgent(frs: seed, stock: [], alertWebhook: "http://127.0.0.1:9/hook") { context in
            let agent = context.agent
            let logger = Logger(label: "test")
            let alerts = try #require(agent.alerts)
            let group = ServiceGroup(
                services: [AgentService(cycle: agent.cycle, wake: agent.wake, logger: logger), alerts, EndsAtOnce()],
                logger: logger)
            let ended = Flag()
            // Detached from this test's task: were it to spin, the test still ends (and fails).
            Task.detached {
                try? await group.run()
                ended.set()
            }
            let deadline = ContinuousClock.now + .seconds(10)
            while !ended.isSet, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            let done = ended.isSet
            #expect(done, "the service group did not end once cancelled")
        }
    }
}
