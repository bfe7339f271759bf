import Foundation

/// Why a required field of an FR could not be read: the JSON path and a message in JSON terms.
struct FieldError: Error {
    var path: String
    var message: String
}

/// Optional fields that had an unexpected type and were read as absent (or by their `name`),
/// as paths with line indices written `[]`, so the agent can log each field once.
struct ToleratedFields {
    private(set) var all: [String] = []

    mutating func add(_ pattern: String) { all.append(pattern) }
}

/// One JSON object of an FR being read, with the path that names its fields in messages
/// (`fulfillmentRequestItems[2]`) and in tolerated-field notes (`fulfillmentRequestItems[]`).
///
/// Only `id`, the items and each item's quantity are required (docs/flxpoint-api.md): any other
/// field of an unexpected type reads as absent and is noted in `tolerated`.
struct LenientObject {
    let members: [JSONMember]
    let path: String
    let pattern: String

    init?(_ node: JSONNode, path: String = "", pattern: String = "") {
        guard case .object(let members) = node else { return nil }
        self.members = members
        self.path = path
        self.pattern = pattern
    }

    /// The field's value; nil when absent or `null`.
    func value(_ key: String) -> JSONNode? {
        guard let node = members.last(where: { $0.key == key })?.value, node != .null else { return nil }
        return node
    }

    func path(of key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
    func pattern(of key: String) -> String { pattern.isEmpty ? key : "\(pattern).\(key)" }

    func nested(_ key: String) -> LenientObject? {
        value(key).flatMap { LenientObject($0, path: path(of: key), pattern: pattern(of: key)) }
    }

    // MARK: Required fields

    /// A whole number from a number, or from a numeric string.
    func requiredInt(_ key: String) throws(FieldError) -> Int {
        guard let node = value(key) else { throw FieldError(path: path(of: key), message: "required field is missing") }
        guard let int = node.wholeNumber else {
            throw FieldError(path: path(of: key), message: "expected a whole number")
        }
        return int
    }

    /// An array that must be present and not null.
    func requiredArray(_ key: String) throws(FieldError) -> [JSONNode] {
        guard let node = members.last(where: { $0.key == key })?.value else {
            throw FieldError(path: path(of: key), message: "required field is missing")
        }
        switch node {
        case .array(let elements): return elements
        case .null: throw FieldError(path: path(of: key), message: "required value is null")
        default: throw FieldError(path: path(of: key), message: "expected an array")
        }
    }

    func corrupted(_ key: String, _ message: String) -> FieldError { FieldError(path: path(of: key), message: message) }

    // MARK: Lenient fields

    /// A string, or a number as its digits (a postal code or order number sent as a number).
    /// Of other types, each named once (`tolerated`): an object by its `name`, else its `code`,
    /// an array by its first string. A bool (`"carrier": true`) or anything else reads as
    /// absent, never as the text "true": a rule comparing it must not match by accident.
    func string(_ key: String, _ tolerated: inout ToleratedFields) -> String? {
        guard let node = value(key) else { return nil }
        switch node {
        case .string(let text): return text
        case .number: return node.scalarText
        default: tolerated.add(pattern(of: key))
        }
        switch node {
        case .object(let fields):
            for name in ["name", "code"] {
                if case .string(let text)? = fields.last(where: { $0.key == name })?.value { return text }
            }
        case .array(let elements):
            for case .string(let text) in elements { return text }
        default: break
        }
        return nil
    }

    func int(_ key: String, _ tolerated: inout ToleratedFields) -> Int? {
        guard let node = value(key) else { return nil }
        if let int = node.wholeNumber { return int }
        tolerated.add(pattern(of: key))
        return nil
    }

    func instant(_ key: String, _ tolerated: inout ToleratedFields) -> Date? {
        guard let node = value(key) else { return nil }
        if let text = node.scalarText, let instant = try? Timestamp.parseInstant(text) { return instant }
        tolerated.add(pattern(of: key))
        return nil
    }

    /// An exact decimal from a JSON number or numeric string. A numeric string that no
    /// number holds (`"1e400"`) makes the FR malformed, as the same JSON number does.
    func decimal(_ key: String, _ tolerated: inout ToleratedFields) throws(FieldError) -> Decimal? {
        switch value(key) {
        case nil: return nil
        case .number(let text)?:
            // Shortest round-trip text of the double is the number's JSON text when it has up
            // to 15 significant digits, so 245.95 becomes exactly 245.95.
            if let double = Double(text), double.isFinite {
                // Decimal holds up to about 1e165: past that it would read as NaN, then absent.
                if let value = Decimal(string: "\(double)", locale: Self.posix), !value.isNaN { return value }
                throw FieldError(path: path(of: key), message: "number \(text.prefix(40)) is too large for an amount")
            }
        case .string(let text)?:
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if Double(trimmed) != nil, let problem = AmbiguousJSON.numberProblem(trimmed) ?? nonFinite(trimmed) {
                throw FieldError(path: path(of: key), message: problem)
            }
            if let value = Decimal(string: trimmed, locale: Self.posix), !value.isNaN { return value }
            if Double(trimmed) != nil {
                throw FieldError(
                    path: path(of: key), message: "number \(trimmed.prefix(40)) is too large for an amount")
            }
        default: break
        }
        tolerated.add(pattern(of: key))
        return nil
    }

    /// A number's value for a message, when the field holds a number at all.
    func numberText(_ key: String) -> String? {
        guard case .number(let text)? = value(key), let double = Double(text) else { return nil }
        return String(double)
    }

    /// "NaN" and "Infinity" read as numbers by `Double` but mean none.
    private func nonFinite(_ text: String) -> String? {
        Double(text)?.isFinite == false ? "'\(text.prefix(40))' is not a finite number" : nil
    }

    private static let posix = Locale(identifier: "en_US_POSIX")
}
