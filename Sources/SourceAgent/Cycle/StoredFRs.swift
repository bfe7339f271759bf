import AgentStore
import FlxpointAPI
import Foundation
import FulfillmentCore

/// FRs read back from the store's text: decoding is the agent's work, not the store's.
enum StoredFRs {
    /// The FRs with these ids, in the order given; one whose stored JSON no longer reads is left out.
    static func load(ids: [Int], from store: any FRStore) async throws -> [FulfillmentRequest] {
        let texts = try await store.storedFRTexts(ids: ids)
        return ids.compactMap { id in texts[id].flatMap { try? FRListDecoder.decodeOne(text: $0) } }
    }

    /// The FR a tracking file names by id or number, decoded, with what was answered, held and
    /// shipped of it; nil when this agent never saw it or its stored JSON no longer reads.
    static func shippable(_ key: String, from store: any ShipmentStore) async throws -> KnownFR? {
        guard let state = try await store.shippableFR(key),
            let fr = try? FRListDecoder.decodeOne(text: state.frJSON)
        else { return nil }
        return KnownFR(fr: fr, state: state)
    }

    /// The FRs `waiting` names, reduced to when they were created and what they ask for: all
    /// that giving way needs, and a pool's backlog may be large. One that no longer reads is
    /// left out.
    static func loadWaiting(_ waiting: [WaitingFR], from store: any FRStore) async throws -> [WaitingFR:
        FulfillmentRequest]
    {
        var out: [WaitingFR: FulfillmentRequest] = [:]
        for (key, text) in try await store.storedFRTexts(waiting) {
            guard let fr = try? FRListDecoder.decodeOne(text: text) else { continue }
            out[key] = FulfillmentRequest(
                id: fr.id, generatedAt: fr.createdAt,
                items: fr.items.map { FulfillmentRequestItem(id: $0.id, sku: $0.sku, quantity: $0.quantity) })
        }
        return out
    }
}

/// An FR a tracking file names, decoded, with its shipping state from the store.
struct KnownFR: Sendable {
    var fr: FulfillmentRequest
    var state: ShippableFR
}

/// Making many `DecisionWrite`s on every core: encoding a decision's JSON is most of the work
/// of writing it, and a cycle writes up to a batch of decisions per commit.
enum DecisionWrites {
    /// One write per item, in order; the encoding is spread over the cores for a large batch.
    static func make(_ items: [(FRDecision, OutboxDraft?, DecisionInput)]) async -> [DecisionWrite] {
        let workers = min(ProcessInfo.processInfo.activeProcessorCount, items.count / 16)
        guard workers > 1 else { return items.map { DecisionWrite($0.0, outbox: $0.1, input: $0.2) } }
        let parts = items.chunked((items.count + workers - 1) / workers)
        return await withTaskGroup(of: (Int, [DecisionWrite]).self) { group in
            for (index, part) in parts.enumerated() {
                group.addTask { (index, part.map { DecisionWrite($0.0, outbox: $0.1, input: $0.2) }) }
            }
            var done: [Int: [DecisionWrite]] = [:]
            for await (index, writes) in group { done[index] = writes }
            return parts.indices.flatMap { done[$0]! }
        }
    }
}
