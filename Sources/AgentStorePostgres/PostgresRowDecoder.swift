import Foundation
import PostgresNIO

/// Reads a row into a `Decodable` record by column name: the records the SQLite engine reads
/// (their coding keys are the column names) come out of PostgreSQL the same way. Enums are
/// read from their raw text, and a text none of the cases has is an error, never a default.
enum PostgresRowDecoder {
    static func decode<T: Decodable>(_ type: T.Type, from row: PostgresRandomAccessRow) throws -> T {
        try T(from: RowDecoder(row: row))
    }

    private struct RowDecoder: Decoder {
        let row: PostgresRandomAccessRow
        var codingPath: [any CodingKey] { [] }
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
            KeyedDecodingContainer(Columns<Key>(row: row))
        }

        func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
            throw DecodingError.typeMismatch(
                [Any].self, .init(codingPath: [], debugDescription: "a row is read by column name"))
        }

        func singleValueContainer() throws -> any SingleValueDecodingContainer {
            throw DecodingError.typeMismatch(
                Any.self, .init(codingPath: [], debugDescription: "a row is read by column name"))
        }
    }

    private struct Columns<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let row: PostgresRandomAccessRow
        var codingPath: [any CodingKey] { [] }
        var allKeys: [Key] { [] }

        func contains(_ key: Key) -> Bool { row.contains(key.stringValue) }

        func decodeNil(forKey key: Key) throws -> Bool {
            !row.contains(key.stringValue) || row[key.stringValue].bytes == nil
        }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            guard row.contains(key.stringValue) else {
                throw DecodingError.keyNotFound(key, .init(codingPath: [], debugDescription: "no such column"))
            }
            let cell = row[key.stringValue]
            do {
                return try Self.value(type, cell, column: key.stringValue)
            } catch let error as DecodingError {
                throw error
            } catch {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: [key], debugDescription: "column \(key.stringValue): \(error)"))
            }
        }

        private static func value<T: Decodable>(_ type: T.Type, _ cell: PostgresCell, column: String) throws -> T {
            switch type {
            case is String.Type: return try cell.decode(String.self) as! T
            case is Int.Type: return try cell.decode(Int.self) as! T
            case is Int64.Type: return try cell.decode(Int64.self) as! T
            case is Double.Type: return try cell.decode(Double.self) as! T
            case is Bool.Type: return try cell.decode(Bool.self) as! T
            case is Date.Type: return try cell.decode(Date.self) as! T
            default:
                // A stored enum: its raw text through its own `Decodable`, which refuses an unknown case.
                let text = try cell.decode(String.self)
                do {
                    return try T(from: TextDecoder(text: text))
                } catch {
                    throw UnknownStoredText(column: column, value: text)
                }
            }
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
            -> KeyedDecodingContainer<NestedKey>
        {
            throw DecodingError.typeMismatch(type, .init(codingPath: [key], debugDescription: "a column is flat"))
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            throw DecodingError.typeMismatch([Any].self, .init(codingPath: [key], debugDescription: "a column is flat"))
        }

        func superDecoder() throws -> any Decoder { RowDecoder(row: row) }
        func superDecoder(forKey key: Key) throws -> any Decoder { RowDecoder(row: row) }
    }

    /// One text value, for a `RawRepresentable` enum's `init(from:)`.
    private struct TextDecoder: Decoder, SingleValueDecodingContainer {
        let text: String
        var codingPath: [any CodingKey] { [] }
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
            throw DecodingError.typeMismatch(type, .init(codingPath: [], debugDescription: "a text column"))
        }
        func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
            throw DecodingError.typeMismatch([Any].self, .init(codingPath: [], debugDescription: "a text column"))
        }
        func singleValueContainer() throws -> any SingleValueDecodingContainer { self }
        func decodeNil() -> Bool { false }
        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            guard let value = text as? T else {
                throw DecodingError.typeMismatch(type, .init(codingPath: [], debugDescription: "a text column"))
            }
            return value
        }
    }
}

/// A stored text none of its enum's cases has: the database was written by a build that
/// knows something this one does not, or edited by hand.
public struct UnknownStoredText: Error, CustomStringConvertible {
    public var column: String
    public var value: String
    public var description: String { "unknown value '\(value)' in column \(column)" }
}
