// AgentTesting: what the tests and benchmarks share: the sandbox and the binary started for real, a test clock,
// probes.

import FlxpointAPI
import FlxpointSandbox
import Foundation
import FulfillmentCore
import Logging
import Synchronization

/// Starts a real sandbox on loopback and a real client pointed at it.
public enum Harness {
    public static let token = "test-source-token-5f2c"
    public static let now = try! Timestamp.parseInstant("2026-11-27T09:00:00-06:00")

    public static func frs(_ count: Int, firstId: Int = 50_001) -> [FulfillmentRequest] {
        SandboxSeed.generate(count: count, now: now, firstId: firstId).frs
    }

    /// A client of the sandbox at `url`. The time-out is long because a loaded test machine can take seconds to
    /// answer on loopback; a test of time-outs passes its own.
    public static func client(
        _ url: String, token: String = token, rps: Double = 0, timeout: Duration = .seconds(30),
        attempts: Int = 8, baseDelay: Duration = .milliseconds(20), logger: Logger = Logger(label: "test"),
        transport: (any FlxpointTransport)? = nil
    ) -> FlxpointClient {
        let configuration = FlxpointClientConfiguration(
            baseURL: url, token: FlxpointToken(token), requestsPerSecond: rps, timeout: timeout,
            retry: RetryPolicy(maxAttempts: attempts, baseDelay: baseDelay, maxDelay: .seconds(2)))
        let limiter = RateLimiter(requestsPerSecond: rps)
        guard let transport else {
            return FlxpointClient(configuration: configuration, logger: logger, limiter: limiter)
        }
        return FlxpointClient(configuration: configuration, transport: transport, logger: logger, limiter: limiter)
    }

    /// A client of an in-process sandbox: the same client, with no socket.
    public static func client(
        _ sandbox: InProcessSandbox, attempts: Int = 8, baseDelay: Duration = .milliseconds(20)
    ) -> FlxpointClient {
        client("http://127.0.0.1:9", attempts: attempts, baseDelay: baseDelay, transport: sandbox.transport)
    }

    /// The tests' sandbox settings (the test token, an account token, no rate limit), changed by `configure`.
    public static func sandboxConfiguration(_ configure: (inout SandboxConfiguration) -> Void) -> SandboxConfiguration {
        var configuration = SandboxConfiguration(token: token, otherKindTokens: ["account-token-1234"], rateLimit: 0)
        configure(&configuration)
        return configuration
    }

    /// Runs `body` with a sandbox holding `frs`, configured by `configure`.
    public static func withSandbox<T: Sendable>(
        frs: [FulfillmentRequest], malformed: [Int: JSONValue] = [:],
        configure: (inout SandboxConfiguration) -> Void = { _ in },
        _ body: @Sendable (String, SandboxState) async throws -> T
    ) async throws -> T {
        let configuration = sandboxConfiguration(configure)
        let state = SandboxState(frs: frs, malformed: malformed)
        var logger = Logger(label: "sandbox")
        logger.logLevel = .critical  // shutdown at the end of each test logs a cancellation
        let server = SandboxServer(configuration: configuration, state: state, logger: logger)
        return try await server.withRunning { url in try await body(url, state) }
    }
}

/// Collects every log line (message and metadata) so tests can look for leaked secrets.
public final class CapturedLogs: Sendable {
    let lines = Mutex<[String]>([])

    public init() {}

    public var all: [String] { lines.withLock { $0 } }

    public func logger(label: String = "captured") -> Logger {
        var logger = Logger(label: label) { _ in Handler(sink: self) }
        logger.logLevel = .trace
        return logger
    }

    /// Appends each log event to the sink.
    struct Handler: LogHandler {
        let sink: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            sink.lines.withLock { $0.append("\(event.level) \(event.message) \(merged)") }
        }
    }
}
