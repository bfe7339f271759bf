import Foundation

/// An FR that could not be decoded: which one, where in its JSON, and what was wrong.
public struct FRDecodeFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// Position in the list, from 0.
    public let index: Int
    /// The FR's `id` when it could still be read.
    public let frId: Int?
    /// JSON path of the problem inside the FR, e.g. `fulfillmentRequestItems[0].quantity`.
    public let path: String
    public let message: String
    /// The FR's JSON as received (re-serialised with sorted keys), for quarantine.
    public let rawJSON: String

    public init(index: Int, frId: Int?, path: String, message: String, rawJSON: String) {
        self.index = index
        self.frId = frId
        self.path = path
        self.message = message
        self.rawJSON = rawJSON
    }

    public var description: String {
        let who = frId.map { "FR \($0)" } ?? "FR at index \(index)"
        return "\(who): \(path.isEmpty ? "" : "\(path): ")\(message)"
    }
}

/// Why a whole FR document could not be read at all.
public enum FRDocumentError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidJSON(String)
    case notAnArray

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
        try decodeKeepingRaw(data).map(\.result)
    }

    /// Each FR decoded on its own, with its JSON text (keys sorted) as received, for the log.
    public static func decodeKeepingRaw(_ data: Data) throws(FRDocumentError) -> [(
        result: Result<FulfillmentRequest, FRDecodeFailure>, rawJSON: String
    )] {
        let values: [JSONValue]
        do {
            values = try JSONDecoder().decode([JSONValue].self, from: data)
        } catch let DecodingError.typeMismatch(_, context) where context.codingPath.isEmpty {
            throw .notAnArray
        } catch {
            throw .invalidJSON(Self.describe(error))
        }
        return values.enumerated().map { index, value in
            let raw = value.jsonText
            let decoded = Result { () throws(FRDecodeFailure) in try decodeOne(Data(raw.utf8)) }
            return (
                decoded.mapError {
                    FRDecodeFailure(index: index, frId: $0.frId, path: $0.path, message: $0.message, rawJSON: raw)
                }, raw
            )
        }
    }

    /// Decodes one FR object, e.g. the body of `GET /fulfillment-requests/{id}`.
    public static func decodeOne(_ data: Data) throws(FRDecodeFailure) -> FulfillmentRequest {
        let element: Element
        do {
            let decoder = JSONDecoder()
            decoder.userInfo[ToleratedFields.key] = ToleratedFields()
            element = try decoder.decode(Element.self, from: data)
        } catch {
            throw FRDecodeFailure(
                index: 0, frId: nil, path: "", message: Self.describe(error),
                rawJSON: String(decoding: data.prefix(4096), as: UTF8.self))
        }
        switch element.result {
        case .success(let fr): return fr
        case .failure(let partial):
            throw FRDecodeFailure(
                index: 0, frId: partial.frId, path: partial.path, message: partial.message,
                rawJSON: partial.raw.jsonText)
        }
    }

    private struct Partial: Error {
        let frId: Int?
        let path: String
        let message: String
        let raw: JSONValue
    }

    private struct Element: Decodable {
        let result: Result<FulfillmentRequest, Partial>

        init(from decoder: any Decoder) throws {
            let depth = decoder.codingPath.count
            do {
                result = .success(try FulfillmentRequest(from: decoder))
            } catch {
                // The raw value decodes whenever the document is valid JSON, which it is by now.
                let raw = try JSONValue(from: decoder)
                var frId: Int?
                if case .object(let fields) = raw, let id = fields["id"] {
                    switch id {
                    case .number(let n): frId = Int(exactly: n)
                    case .string(let s): frId = Int(s)
                    default: frId = nil
                    }
                }
                let path = FRListDecoder.path(of: error, droppingFirst: depth)
                result = .failure(Partial(frId: frId, path: path, message: FRListDecoder.reason(error), raw: raw))
            }
        }
    }

    static func path(of error: any Error, droppingFirst depth: Int) -> String {
        let components: [any CodingKey]
        switch error as? DecodingError {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): components = c.codingPath
        case .keyNotFound(let key, let c):
            components = c.codingPath.last?.stringValue == key.stringValue ? c.codingPath : c.codingPath + [key]
        default: components = []
        }
        var path = ""
        for key in components.dropFirst(depth) {
            if let index = key.intValue {
                path += "[\(index)]"
            } else {
                path += path.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return path
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

    static func describe(_ error: any Error) -> String {
        if case .dataCorrupted(let c) = error as? DecodingError {
            let underlying = (c.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return underlying ?? c.debugDescription
        }
        return reason(error)
    }
}
