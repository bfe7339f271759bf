// Endpoints: one file per Flxpoint resource the agent uses.

import Foundation
import FulfillmentCore

extension FlxpointClient {
    public func fulfillmentRequestPages(_ query: FRQuery) -> FRPages {
        FRPages(query: query) { page in
            var items: [(String, String)] = [
                ("filterPageNumber", String(page)), ("filterPageSize", String(query.pageSize)),
            ]
            if !query.statuses.isEmpty { items.append(("filterStatus", query.statuses.joined(separator: ","))) }
            if let acknowledged = query.isAcknowledged { items.append(("filterIsAcknowledged", String(acknowledged))) }
            if let sinceId = query.sinceId { items.append(("sinceId", String(sinceId))) }
            let endpoint = "GET /fulfillment-requests"
            let request = Request(method: .GET, path: "/fulfillment-requests", query: items, endpoint: endpoint)
            guard case .response(let response) = try await perform(request) else { return [] }
            guard response.status == 200 else { throw failure(response, endpoint: endpoint) }
            do {
                return try FRListDecoder.decodeKeepingRaw(response.body).map {
                    FRPageEntry(result: $0.result, rawJSON: $0.rawJSON)
                }
            } catch {
                throw FlxpointError.decoding(endpoint: endpoint, detail: "\(error)")
            }
        }
    }

    public func fulfillmentRequest(id: Int) async throws -> FulfillmentRequest {
        let endpoint = "GET /fulfillment-requests/{id}"
        let request = Request(method: .GET, path: "/fulfillment-requests/\(id)", endpoint: endpoint)
        guard case .response(let response) = try await perform(request) else {
            throw FlxpointError.conflict(endpoint: endpoint, detail: "a read cannot be reconciled")
        }
        guard response.status == 200 else { throw failure(response, endpoint: endpoint) }
        do {
            return try FRListDecoder.decodeOne(response.body)
        } catch {
            throw FlxpointError.malformedFR(error)
        }
    }

    public func acknowledge(frId: Int) async throws -> WriteOutcome {
        let endpoint = "PATCH /fulfillment-requests/{id}/acknowledge"
        let request = Request(method: .PATCH, path: "/fulfillment-requests/\(frId)/acknowledge", endpoint: endpoint)
        // Re-sending after a lost answer would count as a second answer, so read back first.
        let performed = try await perform(request) {
            let fr = try await fulfillmentRequest(id: frId)
            return AnswerCheck.isAcknowledged(fr) ? .done(()) : .notDone
        }
        guard case .response(let response) = performed else { return .reconciled }
        if (200..<300).contains(response.status) { return .confirmed }
        if response.status == 400 || response.status == 409, response.text.lowercased().contains("already acknowledged")
        {
            return .alreadyDone
        }
        throw failure(response, endpoint: endpoint)
    }

    public func adjust(frId: Int, _ body: AdjustRequest) async throws -> WriteOutcome {
        let endpoint = "POST /fulfillment-requests/{id}/adjust"
        let request = Request(
            method: .POST, path: "/fulfillment-requests/\(frId)/adjust", body: try JSONEncoder().encode(body),
            endpoint: endpoint)
        let performed = try await perform(request) {
            try AnswerCheck.adjustState(try await fulfillmentRequest(id: frId), body, endpoint: endpoint)
        }
        guard case .response(let response) = performed else { return .reconciled }
        if (200..<300).contains(response.status) { return .confirmed }
        throw failure(response, endpoint: endpoint)
    }
}

/// FR pages fetched lazily: page N+1 is requested only after the caller took page N. The
/// listing ends at the first empty page: a server may cap the page size silently, so a short
/// page proves nothing.
public struct FRPages: AsyncSequence, Sendable {
    public typealias Element = FRPage

    let query: FRQuery
    let fetch: @Sendable (Int) async throws -> FRPage

    public init(query: FRQuery, fetch: @escaping @Sendable (Int) async throws -> FRPage) {
        self.query = query
        self.fetch = fetch
    }

    /// Fetches the next page when the previous one is used up.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let pages: FRPages
        var page = 1
        var finished = false

        public mutating func next() async throws -> FRPage? {
            guard !finished else { return nil }
            let items = try await pages.fetch(page)
            page += 1
            if items.isEmpty { finished = true }
            return items.isEmpty ? nil : items
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(pages: self) }
}
