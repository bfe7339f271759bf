import Foundation

/// The one JSON encoding for what we print and store: sorted keys, slashes as written and
/// instants as UTC ISO 8601, so the same value is always the same text.
public enum StableJSON {
    /// An encoder with sorted keys and ISO 8601 dates, so the same value always gives the same text.
    public static func encoder(pretty: Bool = false, snakeCase: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        if snakeCase { encoder.keyEncodingStrategy = .convertToSnakeCase }
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(Timestamp.utcString(date))
        }
        return encoder
    }
}
