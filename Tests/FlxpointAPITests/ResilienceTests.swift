import AgentTesting
import FlxpointAPI
import FlxpointSandbox
import Foundation
import FulfillmentCore
import Synchronization
import Testing

@Suite("Client resilience against sandbox faults")
struct ResilienceTests {
    @Test("429 with Retry-After: the client waits as told and every call succeeds")
    func retryAfter() async throws {
        try await Harness.withSandbox(frs: Harness.frs(4)) { config in
            config.rateLimit = 2
            config.sendRetryAfter = true
        } _: { url, state in
            let client = Harness.client(url)  // no client-side limit, so the sandbox must push back
            try await withThrowingTaskGroup(of: Void.self) { group in
                for id in 50_001...50_004 {
                    group.addTask {
                        let outcome = try await client.acknowledge(frId: id)
                        #expect(outcome == .confirmed)
                    }
                }
                try await group.waitForAll()
            }
            let stats = await state.stats()
            #expect(stats.rateLimited > 0)
            #expect(stats.answers.values.allSatisfy { $0 == 1 } && stats.answers.count == 4)
        }
    }

    @Test("429 without Retry-After: exponential back-off gets through")
    func backoff() async throws {
        try await Harness.withSandbox(frs: Harness.frs(2)) { config in
            config.rateLimit = 2
            config.sendRetryAfter = false
        } _: { url, state in
            let client = Harness.client(url, attempts: 10, baseDelay: .milliseconds(200))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in 0..<6 { group.addTask { _ = try await client.fulfillmentRequest(id: 50_001 + n % 2) } }
                try await group.waitForAll()
            }
            #expect(await state.stats().rateLimited > 0)
        }
    }

    @Test("a 5xx storm is retried; every FR is still answered exactly once")
    func serverErrors() async throws {
        try await Harness.withSandbox(frs: Harness.frs(40)) { config in
            config.failRate = 0.4
        } _: { url, state in
            let client = Harness.client(url, attempts: 15, baseDelay: .milliseconds(5))
            var pages = 0
            for try await _ in client.fulfillmentRequestPages(FRQuery(pageSize: 10)) { pages += 1 }
            #expect(pages == 4)
            for id in 50_001...50_040 {
                let outcome = try await client.acknowledge(frId: id)
                #expect(outcome == .confirmed || outcome == .reconciled)
            }
            let stats = await state.stats()
            #expect(stats.failuresInjected > 10)
            #expect(stats.answers.count == 40 && stats.answers.values.allSatisfy { $0 == 1 })
            #expect(stats.duplicates == 0 && stats.contradictions == 0)
        }
    }

    @Test("connections dropped after processing are reconciled: no FR answered twice")
    func droppedConnections() async throws {
        let frs = Harness.frs(60)
        let skus = frs.map { $0.items[0].sku! }
        try await Harness.withSandbox(frs: frs) { config in
            config.dropRate = 0.35
        } _: { url, state in
            let client = Harness.client(url, attempts: 15, baseDelay: .milliseconds(5))
            var reconciled = 0
            for id in 50_001...50_020 where try await client.acknowledge(frId: id) == .reconciled { reconciled += 1 }
            for (offset, id) in (50_021...50_040).enumerated() {
                let fr = frs[20 + offset]
                let body = AdjustRequest(
                    items: fr.items.map {
                        .init(id: $0.id, sku: $0.sku, acknowledgedQuantity: 0, cancelledQuantity: $0.quantity)
                    },
                    killOrFillType: "fill")
                if try await client.adjust(frId: id, body) == .reconciled { reconciled += 1 }
            }
            for (offset, id) in (50_041...50_060).enumerated() {
                let body = ShipmentCreateRequest(
                    fulfillmentRequestId: id,
                    shipment: ShipmentBody(
                        trackingNumber: "TRK\(id)", carrier: "UPS", method: nil, shippedAt: nil,
                        shipmentItems: [ShipmentItem(sku: skus[40 + offset], quantity: 1)]))
                if try await client.createShipment(body) == .reconciled { reconciled += 1 }
            }
            let stats = await state.stats()
            #expect(stats.dropped > 5)
            #expect(reconciled > 0)
            #expect(stats.answers.count == 40 && stats.answers.values.allSatisfy { $0 == 1 })
            #expect(stats.duplicates == 0 && stats.contradictions == 0)
            #expect(stats.shipments == 20)
            #expect(stats.acknowledged.count == 20 && stats.adjusted.count == 20)
            let log = await state.requestLog()
            #expect(log.count == stats.requests && log.filter(\.dropped).count == stats.dropped)
            #expect(log.contains { $0.method == "PATCH" && $0.path == "/fulfillment-requests/50001/acknowledge" })
            for id in 50_041...50_060 { #expect(await state.shipments(frId: id).count == 1) }
        }
    }

    @Test("slow answers hit the time-out and end in a clear transport error")
    func timeouts() async throws {
        try await Harness.withSandbox(frs: Harness.frs(1)) { config in
            config.latency = .milliseconds(600)
        } _: { url, state in
            let client = Harness.client(url, timeout: .milliseconds(150), attempts: 3)
            do {
                _ = try await client.fulfillmentRequest(id: 50_001)
                Issue.record("expected a time-out")
            } catch let error as FlxpointError {
                guard case .transport(_, let detail, let attempts) = error else {
                    Issue.record("expected a transport error, got \(error)")
                    return
                }
                #expect(detail == "timed out waiting for an answer" && attempts == 3)
            }
            #expect(await state.stats().requests == 3)
        }
    }

    @Test("a wrong token is unauthorized, with a hint, and never appears in errors or logs")
    func wrongToken() async throws {
        let logs = CapturedLogs()
        try await Harness.withSandbox(frs: Harness.frs(1)) { url, _ in
            let secret = "wrong-secret-token-9d1e"
            let client = Harness.client(url, token: secret, logger: logs.logger())
            do {
                _ = try await client.acknowledge(frId: 50_001)
                Issue.record("expected unauthorized")
            } catch let error as FlxpointError {
                #expect(error == .unauthorized(endpoint: "PATCH /fulfillment-requests/{id}/acknowledge"))
                #expect(error.description.contains("Source token"))
                #expect(!error.description.contains(secret) && !"\(error)".contains(secret))
            }
            let account = Harness.client(url, token: "account-token-1234", logger: logs.logger())
            await #expect(
                throws: FlxpointError.forbidden(
                    endpoint: "GET /fulfillment-requests/{id}", body: #"{"error":"this endpoint needs a Source token"}"#
                )
            ) {
                try await account.fulfillmentRequest(id: 50_001)
            }
            #expect("\(FlxpointToken(secret))" == "<redacted>")
            let refused = Harness.client(
                "http://127.0.0.1:1", token: secret, timeout: .milliseconds(300), attempts: 2, logger: logs.logger())
            await #expect(throws: FlxpointError.self) { try await refused.fulfillmentRequest(id: 1) }
            #expect(!logs.all.isEmpty)
            #expect(logs.all.allSatisfy { !$0.contains(secret) && !$0.contains("account-token-1234") })
        }
    }

    @Test(
        "pool headers pace the client: an empty pool holds the next request back instead of drawing a 429")
    func poolHeaders() async throws {
        try await Harness.withSandbox(frs: Harness.frs(4)) { config in
            config.rateLimit = 2  // a pool of 2 refilled at 2 per second, shown in X-Auth-Pool-* headers
        } _: { url, state in
            let client = Harness.client(url, rps: 0)  // no client-side spacing: only the headers pace it
            let started = ContinuousClock.now
            for id in 50_001...50_004 { _ = try await client.fulfillmentRequest(id: id) }
            let stats = await state.stats()
            #expect(stats.rateLimited == 0 && stats.requests == 4)
            #expect(ContinuousClock.now - started >= .milliseconds(900))
        }
    }

    @Test(
        "the limiter spaces every slot of a token by its interval: 8 concurrent callers in two processes sharing a file"
    )
    func limiter() async throws {
        // What the limiter promises is its schedule: the slots it hands out, not when a loaded
        // machine wakes the callers holding them. Two limiters on one slot file are two processes.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("limiter-\(UUID().uuidString).rate")
        defer { try? FileManager.default.removeItem(at: file) }
        let rate = 20.0
        let limiters = [
            RateLimiter(requestsPerSecond: rate, slotFile: file.path),
            RateLimiter(requestsPerSecond: rate, slotFile: file.path),
        ]
        let slots = try await withThrowingTaskGroup(of: Double.self) { group in
            for caller in 0..<8 { group.addTask { try await limiters[caller % 2].acquire() } }
            return try await group.reduce(into: []) { $0.append($1) }.sorted()
        }
        #expect(slots.count == 8)
        for (earlier, later) in zip(slots, slots.dropFirst()) {
            #expect(later - earlier >= 1.05 / rate - 1e-6, "\(slots)")
        }
    }

    @Test("a gated client says how long it waits for its turn before it waits, then asks the gate")
    func waitingIsTold() async throws {
        try await Harness.withSandbox(frs: Harness.frs(3)) { url, _ in
            let told = Mutex<[String]>([])
            let client = Harness.client(url, rps: 1).gated { _ in
                told.withLock { $0.append("gate") }
            } waiting: { duration in
                told.withLock { $0.append(duration > .zero ? "wait" : "no wait") }
            }
            // Three callers at once: the first goes at once, the others wait for their turns
            // (a second apart), each told before it waits. However late a loaded machine wakes
            // them, no caller reaches the gate before being told of its wait.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for caller in 0..<3 { group.addTask { _ = try await client.fulfillmentRequest(id: 50_001 + caller) } }
                try await group.waitForAll()
            }
            let order = told.withLock { $0 }
            #expect(order.filter { $0 == "gate" }.count == 3 && order.filter { $0 == "wait" }.count == 2, "\(order)")
            for end in order.indices {
                let prefix = order[...end]
                #expect(prefix.filter { $0 == "gate" }.count <= 1 + prefix.filter { $0 == "wait" }.count, "\(order)")
            }
        }
    }
}

@Suite("Where the token may go")
struct TokenTransportTests {
    @Test("https anywhere, plain http only to this machine")
    func schemes() {
        #expect(FlxpointClientConfiguration.problem(withBaseURL: "https://api.flxpoint.com") == nil)
        #expect(FlxpointClientConfiguration.problem(withBaseURL: "http://127.0.0.1:8080") == nil)
        #expect(FlxpointClientConfiguration.problem(withBaseURL: "http://localhost:8080/") == nil)
        #expect(
            FlxpointClientConfiguration.problem(withBaseURL: "http://api.flxpoint.com")?.contains("use https://")
                == true)
        #expect(FlxpointClientConfiguration.problem(withBaseURL: "ftp://x") != nil)
        #expect(FlxpointClientConfiguration.problem(withBaseURL: "api.flxpoint.com") != nil)
    }

    @Test("a redirect is never followed: the write fails, the token goes nowhere else")
    func noRedirects() async throws {
        let server = FixedReplyServer(status: 301, headers: [("Location", "/moved-here")])
        try await server.withRunning { url in
            let client = Harness.client(url, attempts: 1)
            await #expect(throws: FlxpointError.self) { try await client.acknowledge(frId: 50_001) }
            #expect(server.received.map(\.path) == ["/fulfillment-requests/50001/acknowledge"])
            #expect(server.received.allSatisfy { $0.method == "PATCH" })
        }
    }
}
