import AgentStore
import Foundation
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle
import SourceAgent
import SourceAgentConsole

/// `/healthz` (503 when a source's last cycle failed or is older than three of its intervals)
/// and `/metrics`. With several sources `/healthz` has one line per source, `name: ok` or
/// `name: <the error>`, so the one that is unhealthy is named. On the shared store a source
/// another process holds is `name: standby`, healthy while the database answers: a standby
/// machine is healthy, and says which sources it answers.
struct MetricsServer: Service {
    let host: String
    let port: Int
    let registry: PrometheusCollectorRegistry
    let sources: [SourceRuntime]
    var book: LeaseBook? = nil
    var leases: LeaseKeeper? = nil
    let logger: Logger

    func run() async throws {
        let router = Router()
        let sources = self.sources
        let registry = self.registry
        let (book, leases) = (self.book, self.leases)
        router.get("healthz") { _, _ -> Response in
            var healthy = true
            var lines: [String] = []
            if let leases, await !leases.databaseReachable() {
                healthy = false
                lines.append("database unreachable: nothing is answered")
            }
            for source in sources {
                if let book, book.epoch(of: source.name) == nil {
                    lines.append("\(source.name): standby (another process holds its lease)")
                    continue
                }
                let ok = await source.health.isHealthy(now: AgentClock.now(), interval: source.interval)
                healthy = healthy && ok
                let detail = await source.health.lastError ?? (ok ? "ok" : "no recent successful cycle")
                lines.append(sources.count == 1 ? detail : "\(source.name): \(detail)")
            }
            return Response(
                status: healthy ? .ok : .serviceUnavailable, headers: [.contentType: "text/plain"],
                body: .init(byteBuffer: ByteBuffer(string: lines.joined(separator: "\n") + "\n")))
        }
        router.get("metrics") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(string: registry.emitToString())))
        }
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port)), logger: logger)
        try await ListenFailure.run(
            app, what: "metrics server", host: host, port: port, setting: "--metrics-port or metrics_port")
    }
}
