import Logging
import ServiceLifecycle

/// Runs `service` (a Hummingbird application) for the duration of `body`, then shuts it down
/// gracefully: the listener closes and open connections finish. Cancelling the server's task
/// instead can tear down connections NIO has accepted but not yet handed over, and NIO traps
/// on those ("Deinited NIOAsyncWriter without calling finish()"), taking the whole test
/// process with it. A server that has not stopped after `patience` is cancelled after all.
public func withGracefulShutdown<T: Sendable>(
    of service: some Service, logger: Logger, patience: Duration = .seconds(10),
    _ body: () async throws -> T
) async throws -> T {
    let group = ServiceGroup(
        configuration: ServiceGroupConfiguration(services: [service], gracefulShutdownSignals: [], logger: logger))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        let outcome: Result<T, any Error>
        do {
            outcome = .success(try await body())
        } catch {
            outcome = .failure(error)
        }
        await group.triggerGracefulShutdown()
        tasks.addTask { try? await Task.sleep(for: patience) }
        _ = try? await tasks.next()
        tasks.cancelAll()
        return try outcome.get()
    }
}
