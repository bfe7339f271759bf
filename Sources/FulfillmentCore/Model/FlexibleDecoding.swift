import Foundation
import Synchronization

/// Lenient readers for fields whose JSON type varies between Flxpoint responses
/// (a postal code sent as a number, an id sent as a string). `null` reads as absent.
extension KeyedDecodingContainer {
    func flexibleString(forKey key: Key) throws -> String? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let text = try? decode(String.self, forKey: key) { return text }
        if let int = try? decode(Int.self, forKey: key) { return String(int) }
        if let double = try? decode(Double.self, forKey: key) { return String(double) }
        if let bool = try? decode(Bool.self, forKey: key) { return String(bool) }
        throw DecodingError.typeMismatch(
            String.self, .init(codingPath: codingPath + [key], debugDescription: "expected a string"))
    }

    func flexibleIntIfPresent(forKey key: Key) throws -> Int? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let int = try? decode(Int.self, forKey: key) { return int }
        if let double = try? decode(Double.self, forKey: key), double.rounded() == double, abs(double) < 1e15 {
            return Int(double)
        }
        if let text = try? decode(String.self, forKey: key), let int = Int(text.trimmingCharacters(in: .whitespaces)) {
            return int
        }
        throw DecodingError.typeMismatch(
            Int.self, .init(codingPath: codingPath + [key], debugDescription: "expected a whole number"))
    }

    func flexibleInt(forKey key: Key) throws -> Int {
        guard let value = try flexibleIntIfPresent(forKey: key) else {
            throw DecodingError.keyNotFound(
                key, .init(codingPath: codingPath + [key], debugDescription: "required field is missing"))
        }
        return value
    }

    func instantIfPresent(forKey key: Key) throws -> Date? {
        guard let text = try flexibleString(forKey: key) else { return nil }
        do {
            return try Timestamp.parseInstant(text)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: error.description)
        }
    }
}

/// Optional fields that had an unexpected type and were read as absent (or by their `name`),
/// collected while one FR decodes so the agent can log each field once.
final class ToleratedFields: Sendable {
    static let key = CodingUserInfoKey(rawValue: "source-agent.tolerated")!
    private let paths = Mutex<[String]>([])

    func add(_ path: [any CodingKey]) {
        let text = path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        let trimmed = text.hasPrefix(".") ? String(text.dropFirst()) : text
        paths.withLock {
            $0.append(trimmed.replacingOccurrences(of: #"\[\d+\]"#, with: "[]", options: .regularExpression))
        }
    }

    var all: [String] { paths.withLock { $0 } }
}

/// Readers for optional fields: a value of an unexpected type never makes the FR malformed.
extension KeyedDecodingContainer {
    private func tolerate(_ key: Key, _ tolerated: ToleratedFields?) {
        tolerated?.add(codingPath + [key])
    }

    /// A string; a number or bool as text; an object by its `name`, else its `code`; an
    /// array by its first string. Anything else reads as absent.
    func lenientString(forKey key: Key, _ tolerated: ToleratedFields?) -> String? {
        guard contains(key), (try? decodeNil(forKey: key)) == false else { return nil }
        if let text = try? flexibleString(forKey: key) { return text }
        if let object = try? decode([String: JSONValue].self, forKey: key) {
            tolerate(key, tolerated)
            for field in ["name", "code"] { if case .string(let text)? = object[field] { return text } }
            return nil
        }
        if let list = try? decode([JSONValue].self, forKey: key) {
            tolerate(key, tolerated)
            for case .string(let text) in list { return text }
            return nil
        }
        tolerate(key, tolerated)
        return nil
    }

    func lenientInt(forKey key: Key, _ tolerated: ToleratedFields?) -> Int? {
        do {
            return try flexibleIntIfPresent(forKey: key)
        } catch {
            tolerate(key, tolerated)
            return nil
        }
    }

    func lenientInstant(forKey key: Key, _ tolerated: ToleratedFields?) -> Date? {
        do {
            return try instantIfPresent(forKey: key)
        } catch {
            tolerate(key, tolerated)
            return nil
        }
    }

    /// An exact decimal from a JSON number or numeric string, read from its digits.
    func lenientDecimal(forKey key: Key, _ tolerated: ToleratedFields?) -> Decimal? {
        guard contains(key), (try? decodeNil(forKey: key)) == false else { return nil }
        if let double = try? decode(Double.self, forKey: key), double.isFinite {
            // Shortest round-trip text of the double is the number's JSON text when it has up
            // to 15 significant digits, so 245.95 becomes exactly 245.95.
            return Decimal(string: "\(double)", locale: Locale(identifier: "en_US_POSIX"))
        }
        if let text = try? decode(String.self, forKey: key),
            let value = Decimal(
                string: text.trimmingCharacters(in: .whitespaces), locale: Locale(identifier: "en_US_POSIX"))
        {
            return value
        }
        tolerate(key, tolerated)
        return nil
    }
}
