import Foundation
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle
import SourceAgent

/// `/healthz` (503 when the last cycle failed or is older than three intervals) and `/metrics`.
struct MetricsServer: Service {
    let host: String
    let port: Int
    let registry: PrometheusCollectorRegistry
    let health: HealthState
    let interval: Duration
    let logger: Logger

    func run() async throws {
        let router = Router()
        let health = self.health
        let interval = self.interval
        let registry = self.registry
        router.get("healthz") { _, _ -> Response in
            let healthy = await health.isHealthy(now: Date(), interval: interval)
            let detail = await health.lastError ?? (healthy ? "ok" : "no recent successful cycle")
            return Response(
                status: healthy ? .ok : .serviceUnavailable, headers: [.contentType: "text/plain"],
                body: .init(byteBuffer: ByteBuffer(string: detail + "\n")))
        }
        router.get("metrics") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(string: registry.emitToString())))
        }
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port)), logger: logger)
        try await app.run()
    }
}
