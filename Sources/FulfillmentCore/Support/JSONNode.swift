import Foundation

/// A JSON value as `JSONParser` reads it: members keep document order and numbers keep
/// their text, so an integer is read exactly and a lenient reader can decide what it means.
public enum JSONNode: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONNode])
    case object([JSONMember])

    /// The value of `key` in an object (the last one when a key repeats, as Foundation reads it).
    public subscript(key: String) -> JSONNode? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.key == key }?.value
    }
}

extension JSONNode {
    /// Text from a string, number or bool.
    public var scalarText: String? {
        switch self {
        case .string(let text): return text
        case .number(let text):
            if let int = Int(text) { return String(int) }
            return Double(text).map { String($0) }
        case .bool(let value): return String(value)
        default: return nil
        }
    }

    /// A whole number from an integral JSON number (exactly, when it is written as an
    /// integer) or from a string holding one.
    public var wholeNumber: Int? {
        switch self {
        case .number(let text):
            if let int = Int(text) { return int }
            if let double = Double(text), double.rounded() == double, abs(double) < 1e15 { return Int(double) }
            return nil
        case .string(let text): return Int(text.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }
}

/// One member of a JSON object, in the order written.
public struct JSONMember: Sendable, Equatable {
    /// The member's name.
    public var key: String
    /// The member's value.
    public var value: JSONNode
}

/// Why bytes are not JSON, with the line and column where reading stopped.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong with the JSON.
    public var message: String
    /// 1-based line of the problem.
    public var line: Int
    /// 1-based column of the problem.
    public var column: Int

    /// The text shown in messages and logs.
    public var description: String { "line \(line), column \(column): \(message)" }
}
