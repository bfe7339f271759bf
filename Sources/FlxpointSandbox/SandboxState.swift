import FlxpointAPI
import Foundation
import FulfillmentCore

/// An answer the sandbox returns: status and JSON (or text) body.
public struct SandboxReply: Sendable {
    public var status: Int
    public var body: String
    public var headers: [(String, String)] = []

    static func json<T: Encodable>(_ value: T, status: Int = 200) -> SandboxReply {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? String(decoding: encoder.encode(value), as: UTF8.self)) ?? "null"
        return SandboxReply(status: status, body: body)
    }

    static func error(_ status: Int, _ message: String) -> SandboxReply {
        json(["error": message], status: status)
    }
}

/// The sandbox's in-memory Flxpoint: FRs, shipments, inventory, and the record of every answer.
public actor SandboxState {
    var frs: [Int: FulfillmentRequest] = [:]
    /// FRs served with a broken field, as Flxpoint's data-quality states sometimes are.
    var malformed: [Int: JSONValue] = [:]
    /// FRs added through the control plane: as decoded then, and their JSON as given.
    var asGiven: [Int: (FulfillmentRequest, JSONValue)] = [:]
    var shipmentsByFR: [Int: [Shipment]] = [:]
    var nextShipmentId = 1
    var variants: [String: InventoryVariant] = [:]
    var inventoryUpdates = 0
    /// Answers Flxpoint accepted, per FR, in order.
    var answerLog: [Int: [String]] = [:]
    /// Answers Flxpoint refused, per FR.
    var refusedLog: [Int: Int] = [:]
    /// Earlier versions of changed FRs and when each became current, for `read_lag_ms`.
    var history: [Int: [(fr: FulfillmentRequest, from: Date)]] = [:]
    var duplicates = 0
    var contradictions = 0
    var requests = 0
    var rateLimited = 0
    var failuresInjected = 0
    var dropped = 0
    var arrivals: [String: [Double]] = [:]
    var requestRecords: [SandboxRequest] = []
    var buckets: [String: (tokens: Double, at: Double)] = [:]

    public init(frs: [FulfillmentRequest], malformed: [Int: JSONValue] = [:], variants: [InventoryVariant] = []) {
        var byId: [Int: FulfillmentRequest] = [:]
        for fr in frs { byId[fr.id] = fr }
        var known: [String: InventoryVariant] = [:]
        for variant in variants { known[variant.sku] = variant }
        Self.registerVariants(of: frs, in: &known)
        self.frs = byId
        self.malformed = malformed
        self.variants = known
    }

    /// The current state of one FR.
    public func fulfillmentRequest(id: Int) -> FulfillmentRequest? { frs[id] }

    public func stats() -> SandboxStats {
        var answers: [String: Int] = [:]
        let refused = Dictionary(uniqueKeysWithValues: refusedLog.map { (String($0.key), $0.value) })
        var acknowledged: [String: Int] = [:]
        var adjusted: [String: Int] = [:]
        for (id, log) in answerLog {
            answers[String(id)] = log.count
            let acks = log.filter { $0 == "acknowledge" }.count
            if acks > 0 { acknowledged[String(id)] = acks }
            if log.count > acks { adjusted[String(id)] = log.count - acks }
        }
        let shipments = shipmentsByFR.values.reduce(0) { $0 + $1.count }
        var shippedUnits: [String: Int] = [:]
        for (id, list) in shipmentsByFR {
            shippedUnits[String(id)] = list.reduce(0) { $0 + $1.shipmentItems.reduce(0) { $0 + $1.quantity } }
        }
        return SandboxStats(
            requests: requests, rateLimited: rateLimited, answers: answers, refused: refused,
            acknowledged: acknowledged,
            adjusted: adjusted, duplicates: duplicates,
            contradictions: contradictions, shipments: shipments, shippedUnits: shippedUnits,
            inventoryUpdates: inventoryUpdates, failuresInjected: failuresInjected, dropped: dropped,
            maxRequestsPerSecond: arrivals.values.map(Self.maxInOneSecond).max() ?? 0,
            sustainedRequestsPerSecond: arrivals.values.map(Self.sustainedRate).max() ?? 0)
    }

    /// Records a request and its answer; the oldest go once 100,000 are kept.
    func log(_ request: SandboxRequest) {
        if requestRecords.count >= 100_000 { requestRecords.removeFirst(10_000) }
        requestRecords.append(request)
    }

    /// Every request received (up to the last 100,000), oldest first.
    public func requestLog() -> [SandboxRequest] { requestRecords }

    /// Arrivals after the first per second from the first to the last; 0 under three arrivals
    /// (two say nothing about a rate).
    static func sustainedRate(_ times: [Double]) -> Double {
        guard times.count >= 3, let first = times.min(), let last = times.max(), last > first else { return 0 }
        return Double(times.count - 1) / (last - first)
    }

    /// The largest number of arrivals within any half-open one-second window.
    static func maxInOneSecond(_ times: [Double]) -> Int {
        var best = 0
        var start = 0
        for end in times.indices {
            while times[end] - times[start] >= 1.0 { start += 1 }
            best = max(best, end - start + 1)
        }
        return best
    }

    // MARK: Admission: counting, rate limit, faults

    /// Counts a request and applies the token bucket; nil means go on, else the 429 reply.
    func admit(token: String, rateLimit: Double, sendRetryAfter: Bool, now: Double) -> SandboxReply? {
        requests += 1
        arrivals[token, default: []].append(now)
        guard rateLimit > 0 else { return nil }
        var bucket = buckets[token] ?? (tokens: rateLimit, at: now)
        bucket.tokens = min(rateLimit, bucket.tokens + (now - bucket.at) * rateLimit)
        bucket.at = now
        if bucket.tokens >= 1 {
            bucket.tokens -= 1
            buckets[token] = bucket
            return nil
        }
        buckets[token] = bucket
        rateLimited += 1
        let shown = rateLimit.rounded() == rateLimit ? String(Int(rateLimit)) : String(rateLimit)
        var reply = SandboxReply.error(429, "rate limit exceeded: \(shown) requests per second per token")
        if sendRetryAfter {
            let wait = Int(((1 - bucket.tokens) / rateLimit).rounded(.up))
            reply.headers.append(("Retry-After", String(max(1, wait))))
        }
        return reply
    }

    /// Flxpoint-style pool headers for the token's bucket: its size, what is used, the refill rate.
    func poolHeaders(token: String, rateLimit: Double) -> [(String, String)] {
        guard rateLimit > 0, let bucket = buckets[token] else { return [] }
        let used = max(0, rateLimit - bucket.tokens)
        return [
            ("X-Auth-Pool-Size", String(format: "%g", rateLimit)), ("X-Auth-Pool-Used", String(format: "%.3f", used)),
            ("X-Auth-Replenished-Per-Second", String(format: "%g", rateLimit)),
        ]
    }

    func countInjectedFailure() { failuresInjected += 1 }
    func countDrop() { dropped += 1 }

    // MARK: Fulfillment requests

    func listFRs(_ query: [String: [String]], maxPageSize: Int, readLag: Double = 0, now: Date = Date()) -> SandboxReply
    {
        let page = Int(query["filterPageNumber"]?.first ?? "1") ?? 0
        let asked = Int(query["filterPageSize"]?.first ?? "100") ?? 0
        guard page >= 1 else { return .error(400, "filterPageNumber must be a whole number from 1") }
        guard asked >= 1 else { return .error(400, "filterPageSize must be a whole number from 1") }
        // Like a server that caps the page size without saying so: a short page is no end.
        let size = min(asked, maxPageSize)
        let matching = filtered(query, visible(at: now, lag: readLag))
        let slice = matching.dropFirst((page - 1) * size).prefix(size)
        return .json(slice.map { self.servedForEncoding($0) } as [ServedFR])
    }

    func countFRs(_ query: [String: [String]], readLag: Double = 0, now: Date = Date()) -> SandboxReply {
        .json(["count": filtered(query, visible(at: now, lag: readLag)).count])
    }

    /// The FRs matching the query's filters, by id. Lazy, so a page copies only its own FRs.
    private func filtered(_ query: [String: [String]], _ frs: [Int: FulfillmentRequest])
        -> LazyMapSequence<LazyFilterSequence<[Int]>, FulfillmentRequest>
    {
        let statuses = Set((query["filterStatus"]?.first ?? "").split(separator: ",").map { $0.lowercased() })
        let acknowledged = query["filterIsAcknowledged"]?.first.flatMap { Bool($0.lowercased()) }
        let sinceId = query["sinceId"]?.first.flatMap { Int($0) }
        let numbers = Set((query["frNumbers"]?.first ?? "").split(separator: ",").map(String.init))
        return frs.keys.sorted().lazy.filter { id in
            let fr = frs[id]!
            return (statuses.isEmpty || statuses.contains((fr.status ?? "").lowercased()))
                && (acknowledged == nil || (fr.acknowledgedAt != nil) == acknowledged)
                && (sinceId == nil || fr.id > sinceId!)
                && (numbers.isEmpty || numbers.contains(fr.number ?? ""))
        }.map { frs[$0]! }
    }

    func getFR(_ id: Int, readLag: Double = 0, now: Date = Date()) -> SandboxReply {
        guard let fr = readLag > 0 ? visible(id, at: now, lag: readLag) : frs[id] else {
            return .error(404, "fulfillment request \(id) not found")
        }
        return .json(served(fr))
    }

    func acknowledge(_ id: Int, now: Date) -> SandboxReply {
        guard var fr = frs[id] else { return .error(404, "fulfillment request \(id) not found") }
        if fr.voidedAt != nil || fr.status == "Canceled" || fr.status == "Voided" {
            refuse(id)
            return .error(400, "fulfillment request \(id) is \(fr.status ?? "voided") and cannot be acknowledged")
        }
        if fr.acknowledgedAt != nil {
            refuse(id)
            return .error(400, "fulfillment request \(id) is already acknowledged")
        }
        fr.acknowledgedAt = now
        fr.status = "Acknowledged"
        for index in fr.items.indices { fr.items[index].acknowledgedQuantity = fr.items[index].quantity }
        update(fr, at: now)
        recordAnswer(id, "acknowledge")
        return .json(["id": id])
    }

    func adjust(_ id: Int, body: Data, now: Date) -> SandboxReply {
        guard var fr = frs[id] else { return .error(404, "fulfillment request \(id) not found") }
        if fr.voidedAt != nil || fr.status == "Voided" {
            refuse(id)
            return .error(400, "fulfillment request \(id) is voided and cannot be adjusted")
        }
        let request: AdjustRequest
        do {
            request = try JSONDecoder().decode(AdjustRequest.self, from: body)
        } catch {
            return .error(400, "bad adjust body: \(FRListDecoder.reason(error))")
        }
        guard ["fill", "kill"].contains(request.killOrFillType) else {
            return .error(400, "killOrFillType must be fill or kill, got '\(request.killOrFillType)'")
        }
        var lines: [(index: Int, ack: Int, cancel: Int)] = []
        for item in request.items {
            guard item.acknowledgedQuantity >= 0, item.cancelledQuantity >= 0 else {
                return .error(400, "quantities must not be negative")
            }
            let matches = fr.items.indices.filter {
                item.id != nil ? fr.items[$0].id == item.id : fr.items[$0].sku == item.sku
            }
            guard let index = matches.first else {
                return .error(
                    400, "no line \(item.id.map(String.init) ?? item.sku ?? "?") on fulfillment request \(id)")
            }
            if item.id == nil, matches.count > 1 {
                return .error(400, "SKU \(item.sku ?? "") repeats on fulfillment request \(id): send the item id")
            }
            lines.append((index, item.acknowledgedQuantity, item.cancelledQuantity))
        }
        if request.items.isEmpty {
            lines = fr.items.indices.map { ($0, open(fr.items[$0]), 0) }
        }
        let signature = "adjust " + lines.map { "\($0.index):\($0.ack)/\($0.cancel)" }.joined(separator: ",")
        for line in lines where line.ack + line.cancel > open(fr.items[line.index]) {
            refuse(id)
            return .error(
                400,
                "line \(fr.items[line.index].id.map(String.init) ?? "?") has \(open(fr.items[line.index])) open units; "
                    + "acknowledged \(line.ack) + cancelled \(line.cancel) exceeds it")
        }
        for line in lines {
            fr.items[line.index].acknowledgedQuantity = (fr.items[line.index].acknowledgedQuantity ?? 0) + line.ack
            fr.items[line.index].voidedQuantity = (fr.items[line.index].voidedQuantity ?? 0) + line.cancel
        }
        if fr.items.allSatisfy({ ($0.voidedQuantity ?? 0) >= $0.quantity }) {
            fr.status = "Canceled"
            fr.voidedAt = now
        } else if fr.items.contains(where: { ($0.acknowledgedQuantity ?? 0) > 0 }) {
            fr.status = "Acknowledged"
            fr.acknowledgedAt = now
        }
        update(fr, at: now)
        recordAnswer(id, signature)
        return .json(["id": id])
    }

    private func open(_ item: FulfillmentRequestItem) -> Int {
        item.quantity - (item.acknowledgedQuantity ?? 0) - (item.voidedQuantity ?? 0)
    }

    private func refuse(_ id: Int) { refusedLog[id, default: 0] += 1 }

    /// Keeps every accepted answer; a second one is a duplicate, and a different one a contradiction.
    private func recordAnswer(_ id: Int, _ signature: String) {
        let earlier = answerLog[id] ?? []
        if !earlier.isEmpty {
            duplicates += 1
            if !earlier.allSatisfy({ $0 == signature }) { contradictions += 1 }
        }
        answerLog[id, default: []].append(signature)
    }

    static func json(_ fr: FulfillmentRequest) -> JSONValue {
        (try? JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(fr))) ?? .null
    }
}

extension SandboxState {
    /// Serves a malformed FR correctly from now on, as when Flxpoint fixes its data.
    public func repair(_ id: Int) { malformed[id] = nil }

    /// Voids an FR upstream (the order was cancelled at the channel).
    public func void(_ id: Int) {
        guard var fr = frs[id] else { return }
        fr.status = "Voided"
        fr.voidedAt = Date()
        update(fr, at: Date())
    }

    /// Makes `fr` current from `now`, keeping the version it replaces for lagging reads.
    func update(_ fr: FulfillmentRequest, at now: Date) {
        if let previous = frs[fr.id] {
            var versions = history[fr.id] ?? [(previous, .distantPast)]
            versions.append((fr, now))
            history[fr.id] = Array(versions.suffix(8))
        }
        frs[fr.id] = fr
    }

    /// The version of an FR a read at `now` sees when reads lag writes by `lag` seconds.
    func visible(_ id: Int, at now: Date, lag: Double) -> FulfillmentRequest? {
        guard lag > 0, let versions = history[id] else { return frs[id] }
        let cutoff = now.addingTimeInterval(-lag)
        return versions.last(where: { $0.from <= cutoff })?.fr ?? versions.first?.fr
    }

    /// Every FR as a read at `now` sees it.
    func visible(at now: Date, lag: Double) -> [Int: FulfillmentRequest] {
        guard lag > 0 else { return frs }
        var out = frs
        for id in history.keys { out[id] = visible(id, at: now, lag: lag) }
        return out
    }
}
