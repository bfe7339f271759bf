import FulfillmentCore

/// A stored value none of its enum's cases has: the log was written by a build that knows
/// something this one does not, or was edited by hand.
public struct UnknownStoredValue: Error, CustomStringConvertible {
    public var column: String
    public var value: String
    public var description: String { "unknown value '\(value)' in column \(column)" }

    public init(
        column: String, value: String
    ) {
        self.column = column
        self.value = value
    }
}

extension RawRepresentable where RawValue == String {
    /// The case stored as `text` in `column`; throws `UnknownStoredValue` for any other text.
    public static func stored(_ text: String, column: String) throws -> Self {
        guard let value = Self(rawValue: text) else { throw UnknownStoredValue(column: column, value: text) }
        return value
    }

    /// As `stored(_:column:)`, nil staying nil.
    public static func stored(_ text: String?, column: String) throws -> Self? {
        try text.map { try stored($0, column: column) }
    }
}
