import Foundation

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

    func flexibleDoubleIfPresent(forKey key: Key) throws -> Double? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let double = try? decode(Double.self, forKey: key), double.isFinite { return double }
        if let text = try? decode(String.self, forKey: key), let double = Double(text), double.isFinite {
            return double
        }
        throw DecodingError.typeMismatch(
            Double.self, .init(codingPath: codingPath + [key], debugDescription: "expected a number"))
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
