import Foundation
import FulfillmentCore

extension ReportRow {
    /// A report row from a decision's stored columns, whichever engine read them. The FR's
    /// JSON is parsed once here rather than by a `json_extract` per field in SQL, which parsed
    /// it again for each of eight fields.
    public init(
        frId: Int, frNumber: String?, decidedAt: Date, decision: String, rule: String, reason: String?, note: String?,
        decidedBy: String?, linesJSON: String?, escalated: Bool, frJSON: String?, answer: String?, answeredAt: Date?,
        shippedAt: Date?
    ) throws {
        let lines = try LineAnswer.list(json: Array((linesJSON ?? "[]").utf8))
        let fr = frJSON.flatMap { try? JSONParser.parse(Array($0.utf8)) } ?? .null
        func text(_ node: JSONNode?) -> String? { node?.scalarText }
        let confirmed = answer == "done" ? answeredAt : nil
        let sent =
            text(fr["sentAt"]).flatMap { try? Timestamp.parseInstant($0) }
            ?? text(fr["generatedAt"]).flatMap { try? Timestamp.parseInstant($0) }
        let address = fr["shippingAddress"]
        let firstLast = [text(address?["firstName"]) ?? "", text(address?["lastName"]) ?? ""].joined(separator: " ")
        let name = text(address?["name"])?.trimmedNonEmpty ?? firstLast.trimmedNonEmpty
        let shipTo = [name, text(address?["city"])?.trimmedNonEmpty].compactMap { $0 }.joined(separator: ", ")
        var skus: [String] = []
        if case .array(let items)? = fr["fulfillmentRequestItems"] {
            skus = items.compactMap { text($0["sku"]) }.flatMap { $0.split(separator: " ").map(String.init) }
        }
        self.init(
            frId: frId, frNumber: frNumber, order: text(fr["orderNumber"]) ?? text(fr["orderId"]),
            decidedAt: decidedAt, decision: decision, rule: rule, reason: reason, note: note, skus: skus,
            acknowledged: lines.reduce(0) { $0 + $1.acknowledged }, cancelled: lines.reduce(0) { $0 + $1.cancelled },
            answer: answer, answerLatency: zip(sent, confirmed).map { $1.timeIntervalSince($0) },
            shipTo: shipTo.isEmpty ? nil : shipTo,
            shipLatency: zip(confirmed, shippedAt).map { max(0, $1.timeIntervalSince($0)) },
            confirmedAt: confirmed, shipped: shippedAt != nil, escalated: escalated)
        self.decidedBy = decidedBy
    }
}

private func zip<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}
