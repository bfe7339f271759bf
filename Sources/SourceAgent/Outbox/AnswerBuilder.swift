import AgentStore
import FlxpointAPI
import Foundation
import FulfillmentCore

/// Turns a decision into the Flxpoint call that carries it.
enum AnswerBuilder {
    /// Nil for a hold, which sends nothing. Every answer names its lines and quantities, an
    /// acknowledge included: Flxpoint's whole-FR acknowledge takes whatever quantities the FR
    /// shows when it arrives, which may no longer be the ones that were decided.
    static func draft(for decision: FRDecision) -> OutboxDraft? {
        switch decision.decision {
        case .hold:
            return nil
        case .acknowledge, .split, .cancel:
            let body = AdjustRequest(
                items: decision.lines.map {
                    .init(
                        id: $0.itemId, sku: $0.sku, acknowledgedQuantity: $0.acknowledged,
                        cancelledQuantity: $0.cancelled)
                }, killOrFillType: (decision.remainder ?? .fill).rawValue)
            return OutboxDraft(kind: .adjust, bodyJSON: WireJSON.text(body))
        }
    }

    static func adjustBody(_ row: OutboxRecord) throws -> AdjustRequest {
        try JSONDecoder().decode(AdjustRequest.self, from: Data((row.bodyJSON ?? "{}").utf8))
    }
}
