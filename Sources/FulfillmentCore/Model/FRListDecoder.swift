import Foundation

/// An FR that could not be decoded: which one, where in its JSON, and what was wrong.
public struct FRDecodeFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// Position in the list, from 0.
    public let index: Int
    /// The FR's `id` when it could still be read.
    public let frId: Int?
    /// JSON path of the problem inside the FR, e.g. `fulfillmentRequestItems[0].quantity`.
    public let path: String
    /// Why it does not decode, naming the field.
    public let message: String
    /// The FR's JSON as received (re-serialised with sorted keys), for quarantine.
    public let rawJSON: String

    /// A `FRDecodeFailure` from its parts.
    public init(index: Int, frId: Int?, path: String, message: String, rawJSON: String) {
        self.index = index
        self.frId = frId
        self.path = path
        self.message = message
        self.rawJSON = rawJSON
    }

    /// The text shown in messages and logs.
    public var description: String {
        let who = frId.map { "FR \($0)" } ?? "FR at index \(index)"
        return "\(who): \(path.isEmpty ? "" : "\(path): ")\(message)"
    }
}

/// Why a whole FR document could not be read at all.
public enum FRDocumentError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidJSON(String)
    case notAnArray

    /// The text shown in messages and logs.
    public var description: String {
        switch self {
        case .invalidJSON(let detail): return "not valid JSON: \(detail)"
        case .notAnArray: return "expected a JSON array of fulfillment requests"
        }
    }
}

/// Decodes a bare JSON array of FRs so that one malformed FR does not stop the others.
public enum FRListDecoder {
    /// One result per array element, in order.
    public static func decode(_ data: Data) throws(FRDocumentError) -> [Result<FulfillmentRequest, FRDecodeFailure>] {
        try decode(data, keepingRaw: false).map(\.result)
    }

    /// Each FR decoded on its own, with its JSON text exactly as received, for the log.
    public static func decodeKeepingRaw(_ data: Data) throws(FRDocumentError) -> [(
        result: Result<FulfillmentRequest, FRDecodeFailure>, rawJSON: String
    )] {
        try decode(data, keepingRaw: true)
    }

    private static func decode(_ data: Data, keepingRaw: Bool) throws(FRDocumentError) -> [(
        result: Result<FulfillmentRequest, FRDecodeFailure>, rawJSON: String
    )] {
        let start = data.startIndex
        var index = 0
        let decoded: [(result: Result<FulfillmentRequest, FRDecodeFailure>, rawJSON: String)]?
        do {
            decoded = try JSONParser.parseArray(data) { node, range in
                defer { index += 1 }
                let raw = {
                    String(decoding: data[(start + range.lowerBound)..<(start + range.upperBound)], as: UTF8.self)
                }
                return (read(node, index: index, raw: raw), keepingRaw ? raw() : "")
            }
        } catch {
            throw .invalidJSON(error.description)
        }
        guard let decoded else { throw .notAnArray }
        return decoded
    }

    /// Decodes one FR object, e.g. the body of `GET /fulfillment-requests/{id}`.
    public static func decodeOne(_ data: Data) throws(FRDecodeFailure) -> FulfillmentRequest {
        try decodeOne(bytes: data) { String(decoding: data, as: UTF8.self) }
    }

    /// Decodes one FR object stored as text (the database keeps each FR as received), reading the
    /// string's own bytes: replay and the cycle read back thousands, and a copy into `Data` and
    /// back into a `String` per FR was a measurable share of replay.
    public static func decodeOne(text: String) throws(FRDecodeFailure) -> FulfillmentRequest {
        try decodeOne(bytes: text.utf8) { text }
    }

    /// The raw text is made only when a failure needs it.
    private static func decodeOne(
        bytes: some Collection<UInt8>, raw: () -> String
    ) throws(FRDecodeFailure) -> FulfillmentRequest {
        let node: JSONNode
        do {
            node = try JSONParser.parse(bytes)
        } catch {
            throw FRDecodeFailure(
                index: 0, frId: nil, path: "", message: "not valid JSON: \(error.description)",
                rawJSON: String(raw().prefix(4096)))
        }
        return try read(node, index: 0, raw: raw).get()
    }

    private static func read(
        _ node: JSONNode, index: Int, raw: () -> String
    ) -> Result<FulfillmentRequest, FRDecodeFailure> {
        do throws(FieldError) {
            return .success(try FulfillmentRequest(json: node))
        } catch {
            return .failure(
                FRDecodeFailure(
                    index: index, frId: id(of: node), path: error.path, message: error.message, rawJSON: raw()))
        }
    }

    /// The `id` of an FR that could not be read, when it can still be told.
    private static func id(of node: JSONNode) -> Int? {
        switch node["id"] {
        case .number(let text)?: return Int(text) ?? Double(text).flatMap { Int(exactly: $0) }
        case .string(let text)?: return Int(text)
        default: return nil
        }
    }

    /// A short message for a decoding error, in JSON terms.
    public static func reason(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .typeMismatch(let type, let c):
            return c.debugDescription.hasPrefix("expected") ? c.debugDescription : "expected \(jsonWord(for: type))"
        case .valueNotFound(_, let c): return c.debugDescription.isEmpty ? "value is null" : "required value is null"
        case .keyNotFound: return "required field is missing"
        case .dataCorrupted(let c): return c.debugDescription
        default: return String(describing: error)
        }
    }

    /// What a Swift type is called in JSON terms, for messages an operator reads.
    static func jsonWord(for type: Any.Type) -> String {
        let name = String(describing: type)
        if name.hasPrefix("Dictionary") { return "an object" }
        if name.hasPrefix("Array") { return "an array" }
        switch name {
        case "String": return "a string"
        case "Int": return "a whole number"
        case "Double", "Float": return "a number"
        case "Bool": return "true or false"
        default: return name
        }
    }
}
