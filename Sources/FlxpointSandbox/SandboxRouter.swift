// FlxpointSandbox: a local Flxpoint: the state, routing and faults behind `source-agent sandbox`, served over HTTP
// or called in process.

import Foundation
import FulfillmentCore
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// Routes requests to the sandbox state, in the order a real API gateway would check them:
/// count, token, rate limit, method, latency, injected failure, handler, injected drop.
struct SandboxRouter {
    let configuration: SandboxConfiguration
    let state: SandboxState
    let dice: Dice
    let knobs: FaultKnobs

    init(configuration: SandboxConfiguration, state: SandboxState) {
        self.configuration = configuration
        self.state = state
        dice = Dice(seed: configuration.randomSeed)
        knobs = FaultKnobs(SandboxFaults(configuration))
    }

    /// Known paths and the methods each allows; anything else on a known path is 405.
    static let routes: [(pattern: [String], methods: Set<String>)] = [
        (["fulfillment-requests"], ["GET"]),
        (["fulfillment-requests", "count"], ["GET"]),
        (["fulfillment-requests", ":id"], ["GET"]),
        (["fulfillment-requests", ":id", "acknowledge"], ["PATCH"]),
        (["fulfillment-requests", ":id", "adjust"], ["POST"]),
        (["shipments"], ["GET", "POST"]),
        (["inventory", "variants"], ["GET", "PUT"]),
    ]

    func handle(_ request: Request) async -> Response {
        let segments = request.uri.path.split(separator: "/").map(String.init)
        if segments.first == "_sandbox" {
            let body = (try? await request.body.collect(upTo: 64 * 1024 * 1024)).map { Data($0.readableBytesView) }
            return Self.response(
                await controlPlane(request.method.rawValue, Array(segments.dropFirst()), body ?? Data()))
        }
        let token = request.headers[HTTPField.Name("X-API-TOKEN")!] ?? ""
        let (reply, drop) = await serve(
            method: request.method.rawValue, path: request.uri.path, query: Self.query(request), token: token
        ) {
            Data((try await request.body.collect(upTo: 8 * 1024 * 1024)).readableBytesView)
        }
        return drop ? Self.dropped(reply) : Self.response(reply)
    }

    /// Answers one API request, however it arrived (HTTP or in process), and logs it: the
    /// reply, and whether to drop the connection instead of sending it.
    func serve(
        method: String, path: String, query: [String: [String]], token: String, body: () async throws -> Data
    ) async -> (SandboxReply, drop: Bool) {
        let now = Date()
        let segments = path.split(separator: "/").map(String.init)
        let (reply, drop) = await answer(
            method: method, path: path, segments: segments, query: query, token: token, body: body, now: now)
        await state.log(
            SandboxRequest(
                at: Timestamp.utcString(now), method: method, path: path, status: reply.status, dropped: drop))
        return (reply, drop)
    }

    /// The reply, and whether to drop the connection instead of sending it.
    private func answer(
        method: String, path: String, segments: [String], query: [String: [String]], token: String,
        body readBody: () async throws -> Data, now: Date
    ) async -> (SandboxReply, drop: Bool) {
        let faults = knobs.current
        guard let route = Self.routes.first(where: { Self.matches($0.pattern, segments) }) else {
            _ = await state.admit(token: token, rateLimit: 0, sendRetryAfter: false, now: now.timeIntervalSince1970)
            return (.error(404, "no such endpoint: \(path)"), false)
        }
        guard !token.isEmpty, token == configuration.token || configuration.otherKindTokens.contains(token) else {
            _ = await state.admit(token: "", rateLimit: 0, sendRetryAfter: false, now: now.timeIntervalSince1970)
            return (.error(401, "missing or unknown X-API-TOKEN"), false)
        }
        if let limited = await state.admit(
            token: token, rateLimit: faults.rateLimit, sendRetryAfter: configuration.sendRetryAfter,
            now: now.timeIntervalSince1970)
        {
            return (limited, false)
        }
        if configuration.otherKindTokens.contains(token) {
            return (.error(403, "this endpoint needs a Source token"), false)
        }
        guard route.methods.contains(method) else {
            var reply = SandboxReply.error(405, "\(method) is not allowed on \(path)")
            reply.headers.append(("Allow", route.methods.sorted().joined(separator: ", ")))
            return (reply, false)
        }
        if faults.latencyMs > 0 { try? await Task.sleep(for: .milliseconds(faults.latencyMs)) }
        let inScope = faults.covers(method: method)
        if inScope, let forced = faults.forceStatus {
            await state.countInjectedFailure()
            return (.error(forced, "forced status \(forced)"), false)
        }
        if inScope, dice.roll(faults.failRate) {
            await state.countInjectedFailure()
            let status = [500, 502, 503][Int(dice.next() % 3)]
            return (.error(status, "injected failure"), false)
        }
        let body: Data
        do {
            body = try await readBody()
        } catch {
            return (.error(413, "body too large"), false)
        }
        var reply = await dispatch(
            method: method, segments: segments, query: query, body: body, now: now,
            readLag: Double(faults.readLagMs) / 1000)
        reply.headers += await state.poolHeaders(token: token, rateLimit: faults.rateLimit)
        if method != "GET", inScope, (200..<300).contains(reply.status), dice.roll(faults.failAfterApplyRate) {
            await state.countInjectedFailure()
            return (.error(503, "injected failure after the write was applied"), false)
        }
        if inScope, dice.roll(faults.dropRate) {
            await state.countDrop()
            return (reply, true)
        }
        return (reply, false)
    }

    private func dispatch(
        method: String, segments: [String], query: [String: [String]], body: Data, now: Date, readLag: Double
    ) async -> SandboxReply {
        let id = segments.count >= 2 ? Int(segments[1]) : nil
        switch (method, segments.count, segments.first) {
        case ("GET", 1, "fulfillment-requests"):
            return await state.listFRs(query, maxPageSize: configuration.maxPageSize, readLag: readLag, now: now)
        case ("GET", 2, "fulfillment-requests") where segments[1] == "count":
            return await state.countFRs(query, readLag: readLag, now: now)
        case ("GET", 2, "fulfillment-requests"):
            guard let id else { return .error(400, "fulfillment request id must be a number") }
            return await state.getFR(id, readLag: readLag, now: now)
        case ("PATCH", 3, "fulfillment-requests"):
            guard let id else { return .error(400, "fulfillment request id must be a number") }
            return await state.acknowledge(id, now: now)
        case ("POST", 3, "fulfillment-requests"):
            guard let id else { return .error(400, "fulfillment request id must be a number") }
            return await state.adjust(id, body: body, now: now)
        case ("POST", 1, "shipments"): return await state.createShipment(body: body)
        case ("GET", 1, "shipments"): return await state.listShipments(query, maxPageSize: configuration.maxPageSize)
        case ("GET", 2, "inventory"): return await state.listVariants(query)
        case ("PUT", 2, "inventory"): return await state.updateVariants(query, body: body)
        default: return .error(404, "no such endpoint")
        }
    }

    /// `/_sandbox/…`: no token, not counted, not rate limited.
    func controlPlane(_ method: String, _ path: [String], _ body: Data) async -> SandboxReply {
        switch (method, path) {
        case ("GET", ["stats"]): return .json(await state.stats())
        case ("GET", ["requests"]): return .json(await state.requestLog())
        case ("GET", ["fulfillment-requests"]): return await state.allFRs()
        case ("POST", ["fulfillment-requests"]): return await state.addFRs(body: body)
        case ("POST", let p) where p.count == 3 && p[0] == "fulfillment-requests" && p[2] == "void":
            guard let id = Int(p[1]) else { return .error(400, "fulfillment request id must be a number") }
            return await state.voidFR(id)
        case ("PATCH", let p) where p.count == 2 && p[0] == "fulfillment-requests":
            guard let id = Int(p[1]) else { return .error(400, "fulfillment request id must be a number") }
            return await state.patchFR(id, body: body)
        case ("GET", ["faults"]): return .json(knobs.current)
        case ("PUT", ["faults"]):
            do {
                return .json(try knobs.update(with: body))
            } catch {
                return .error(400, "\(error)")
            }
        case ("GET", ["inventory", "variants"]): return .json(await state.allVariants())
        case ("POST", ["inventory", "variants"]): return await state.addVariants(body: body)
        default:
            return .error(404, "no such control-plane endpoint: \(method) /_sandbox/\(path.joined(separator: "/"))")
        }
    }

    static func matches(_ pattern: [String], _ segments: [String]) -> Bool {
        pattern.count == segments.count
            && zip(pattern, segments).allSatisfy { $0.hasPrefix(":") || $0 == $1 }
    }

    static func query(_ request: Request) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for (key, value) in request.uri.queryParameters { out[String(key), default: []].append(String(value)) }
        return out
    }

    static func response(_ reply: SandboxReply) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        for (name, value) in reply.headers { headers[HTTPField.Name(name)!] = value }
        return Response(
            status: .init(code: reply.status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: reply.body))
        )
    }

    /// Promises the full body, then fails while writing it: the connection closes after the
    /// request was processed, which is the ambiguous case clients must reconcile.
    static func dropped(_ reply: SandboxReply) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        let length = reply.body.utf8.count + 64
        return Response(
            status: .init(code: reply.status), headers: headers,
            body: ResponseBody(contentLength: length) { _ in throw DroppedConnection() })
    }

    /// Thrown while writing a body, to drop the connection mid-answer.
    struct DroppedConnection: Error {}
}

/// Seeded fault dice shared by concurrent requests.
final class Dice: Sendable {
    private let generator: Mutex<SeededGenerator>

    init(seed: UInt64) { generator = Mutex(SeededGenerator(seed: seed)) }

    func roll(_ share: Double) -> Bool {
        guard share > 0 else { return false }
        return Double(next() % 1_000_000) / 1_000_000 < share
    }

    func next() -> UInt64 { generator.withLock { $0.next() } }
}
