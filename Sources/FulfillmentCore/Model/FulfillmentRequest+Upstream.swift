/// What the agent compares to notice that Flxpoint changed an FR after it was decided.
extension FulfillmentRequest {
    /// A digest of what an answer depends on: each line's id, SKU and quantity, the ship-to
    /// address and the ship-by date. Status and timestamps are left out on purpose: an FR that
    /// moves from Processing to Processed needs no new decision.
    public var answerFingerprint: String {
        var parts = items.map { "\($0.id.map(String.init) ?? "-")\u{1F}\($0.sku ?? "")\u{1F}\($0.quantity)" }
        let a = shippingAddress
        parts.append(
            [
                a?.name, a?.firstName, a?.lastName, a?.companyName, a?.addressLine1, a?.addressLine2, a?.city, a?.state,
                a?.stateCode, a?.country, a?.countryCode, a?.postal,
            ].map { $0 ?? "" }.joined(separator: "\u{1F}"))
        parts.append(shipBy?.description ?? "")
        return SHA256.hex(Array(parts.joined(separator: "\n").utf8))
    }

    /// Voided or cancelled upstream: no answer of ours may go out for it.
    public var isClosedUpstream: Bool {
        if voidedAt != nil { return true }
        switch status?.lowercased() {
        case "voided", "canceled", "cancelled": return true
        default: return false
        }
    }
}
