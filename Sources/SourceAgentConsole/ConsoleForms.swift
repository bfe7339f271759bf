import Foundation
import Hummingbird
import MultipartKit
import NIOCore

/// The console's forms, decoded into typed values: `application/x-www-form-urlencoded` by
/// Hummingbird's `URLEncodedFormDecoder`, `multipart/form-data` (the upload forms) by
/// MultipartKit's `FormDataDecoder`. A field sent several times (ticked boxes) is named `x[]`.
public enum ConsoleForms {
    /// The largest form body read: a rule file in the edit box.
    static let formLimit = 1024 * 1024
    /// The largest upload read: a count of a few hundred thousand rows.
    static let uploadLimit = 32 * 1024 * 1024

    /// A form that does not decode: a field missing, a malformed body, the wrong type.
    struct Unreadable: Error, CustomStringConvertible {
        let description: String
    }

    /// The request's form as `T`. The body is collected into the request (up to the limit of
    /// its kind), so the CSRF check and the route each decode it.
    static func decode<T: Decodable>(_ type: T.Type, from request: inout Request) async throws -> T {
        let contentType = request.headers[.contentType] ?? ""
        if let boundary = multipartBoundary(contentType) {
            let body = try await request.collectBody(upTo: uploadLimit)
            return try decodeMultipart(T.self, Array(body.readableBytesView), boundary: boundary)
        }
        let body = try await request.collectBody(upTo: formLimit)
        do {
            return try URLEncodedFormDecoder().decode(T.self, from: String(buffer: body))
        } catch {
            throw Unreadable(description: "the form could not be read")
        }
    }

    /// A multipart body as `T`, through MultipartKit, once `headerNamesAreASCII` let it in.
    static func decodeMultipart<T: Decodable>(_ type: T.Type, _ body: [UInt8], boundary: String) throws -> T {
        guard headerNamesAreASCII(body, boundary: boundary) else {
            throw Unreadable(description: "the upload form could not be read")
        }
        do {
            return try FormDataDecoder().decode(T.self, from: body, boundary: boundary)
        } catch {
            throw Unreadable(description: "the upload form could not be read")
        }
    }

    /// Whether every header name in the body's parts is ASCII. MultipartKit 4.7 looks a
    /// header name's bytes up in a 128-entry table and traps on a byte above 127 (found by the
    /// `forms` fuzz target): one upload could stop the whole agent. Each part's header block
    /// (from a boundary to the blank line after it) is checked, every line's bytes before its
    /// first `:` (the whole line without one); values, file names and contents may be UTF-8.
    static func headerNamesAreASCII(_ body: [UInt8], boundary: String) -> Bool {
        let delimiter = Array("--\(boundary)".utf8)
        guard !delimiter.isEmpty, body.count >= delimiter.count else { return true }
        var index = 0
        while index + delimiter.count <= body.count {
            guard body[index..<(index + delimiter.count)].elementsEqual(delimiter) else {
                index += 1
                continue
            }
            // The header block: after the delimiter's line, up to CR LF CR LF, where MultipartKit
            // ends it (a bare LF LF does not). A name starts after any LF: more places than
            // MultipartKit's, never fewer.
            var inName = false
            var last4: UInt32 = 0
            var position = index + delimiter.count
            while position < body.count {
                let byte = body[position]
                position += 1
                last4 = (last4 << 8) | UInt32(byte)
                if last4 == 0x0D0A_0D0A { break }
                if byte == 10 {
                    inName = true
                } else if byte == 58 {  // ':'
                    inName = false
                } else if inName, byte >= 0x80 {
                    return false
                }
            }
            index = position
        }
        return true
    }

    /// The boundary of a `multipart/form-data` content type, or nil for any other type.
    public static func multipartBoundary(_ contentType: String) -> String? {
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.first?.lowercased() == "multipart/form-data" else { return nil }
        for part in parts.dropFirst() where part.lowercased().hasPrefix("boundary=") {
            let value = part.dropFirst("boundary=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            return value.isEmpty ? nil : value
        }
        return nil
    }
}

/// An uploaded file: its name as the browser sent it and its text (read as UTF-8).
struct UploadedFile: Decodable, MultipartPartConvertible {
    let fileName: String?
    let text: String

    init?(multipart part: MultipartPart) {
        text = String(buffer: part.body)
        fileName = part.headers.first(name: "Content-Disposition").flatMap(Self.fileName)
    }

    /// MultipartKit hands the part to `init(multipart:)`; any other decoder has no file.
    init(from decoder: any Decoder) throws {
        self = try decoder.singleValueContainer().decode(UploadedFile.self)
    }

    /// Only read, never sent.
    var multipart: MultipartPart? { nil }

    /// `filename="…"` of a part's `Content-Disposition`.
    static func fileName(_ disposition: String) -> String? {
        guard let start = disposition.range(of: "filename=\"") else { return nil }
        let rest = disposition[start.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }
}

/// The form readers as the fuzz targets drive them (through `FuzzEntryPoints`): what a body
/// decodes to, or nil when it is refused.
public enum ConsoleFormReading {
    /// A URL-encoded body read as the hold queue's form: the values it gave.
    public static func urlEncoded(_ body: String) -> [String]? {
        guard let form = try? URLEncodedFormDecoder().decode(DecideForm.self, from: body) else { return nil }
        return [form.by, form.source, form.fr, form.action, form.reason, form.until, form.note].compactMap { $0 }
    }

    /// A multipart body read as an upload form: how many text fields came with the file, and
    /// the file's text.
    public static func multipart(boundary: String, body: [UInt8]) -> (fields: Int, file: String?)? {
        guard let form = try? ConsoleForms.decodeMultipart(UploadForm.self, body, boundary: boundary) else {
            return nil
        }
        return ([form.by, form.source].compactMap { $0 }.count, form.file?.text)
    }
}
