import Foundation
import FulfillmentCore

/// Request bodies as stored in the outbox and shipment rows: sorted keys, so the same body
/// is always the same text.
enum WireJSON {
    static func text<T: Encodable>(_ value: T) -> String {
        String(decoding: (try? StableJSON.encoder().encode(value)) ?? Data(), as: UTF8.self)
    }
}
