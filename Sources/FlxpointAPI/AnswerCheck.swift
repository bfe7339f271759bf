import FulfillmentCore

/// Reading an FR back to learn whether an answer already took effect. Shared by the
/// client (after a lost reply) and the agent (after a crash between send and record).
public enum AnswerCheck {
    public static func isAcknowledged(_ fr: FulfillmentRequest) -> Bool {
        fr.acknowledgedAt != nil || fr.status?.lowercased() == "acknowledged"
    }

    /// Done when every line shows the quantities we sent, not done when no line shows any
    /// answer, and a conflict for anything in between.
    public static func adjustState(_ fr: FulfillmentRequest, _ body: AdjustRequest, endpoint: String) throws
        -> Reconciliation<Void>
    {
        let untouched = fr.items.allSatisfy { ($0.acknowledgedQuantity ?? 0) == 0 && ($0.voidedQuantity ?? 0) == 0 }
        if untouched && !isAcknowledged(fr) { return .notDone }
        let applied = body.items.allSatisfy { wanted in
            guard let line = fr.items.first(where: { wanted.id != nil ? $0.id == wanted.id : $0.sku == wanted.sku })
            else { return false }
            return (line.acknowledgedQuantity ?? 0) == wanted.acknowledgedQuantity
                && (line.voidedQuantity ?? 0) == wanted.cancelledQuantity
        }
        if applied { return .done(()) }
        throw FlxpointError.conflict(
            endpoint: endpoint,
            detail: "FR \(fr.id) already carries a different answer; it was changed outside this agent")
    }
}
