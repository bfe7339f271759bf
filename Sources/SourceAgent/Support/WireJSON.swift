import Foundation

/// Request bodies as stored in the outbox and shipment rows: sorted keys, so the same body
/// is always the same text.
enum WireJSON {
    static func text<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
    }
}
