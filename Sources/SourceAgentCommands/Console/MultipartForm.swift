import Foundation

/// A `multipart/form-data` body (a form with a file input): its text fields, and the one file
/// it carries. Only what the console's upload forms send is read: fields and a file as UTF-8.
struct MultipartForm {
    var fields: [String: [String]] = [:]
    var fileName: String?
    var file: String?

    /// The form in `body`, given the request's `Content-Type`; nil when it is not multipart or
    /// has no boundary.
    init?(contentType: String?, body: [UInt8]) {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data"),
            let boundaryStart = contentType.range(of: "boundary=")
        else { return nil }
        var boundary = String(contentType[boundaryStart.upperBound...])
        if let end = boundary.firstIndex(of: ";") { boundary = String(boundary[..<end]) }
        boundary = boundary.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        guard !boundary.isEmpty else { return nil }
        let delimiter = Array("--\(boundary)".utf8)
        for part in Self.split(body, by: delimiter) {
            // Each part: CRLF, headers, CRLF CRLF, content, CRLF (before the next delimiter).
            guard let headerEnd = Self.find(Array("\r\n\r\n".utf8), in: part) else { continue }
            let headers = String(decoding: part[..<headerEnd], as: UTF8.self)
            var content = Array(part[(headerEnd + 4)...])
            if content.suffix(2) == [13, 10] { content.removeLast(2) }
            guard let name = Self.parameter("name", in: headers) else { continue }
            let text = String(decoding: content, as: UTF8.self)
            if let fileName = Self.parameter("filename", in: headers) {
                self.fileName = fileName
                file = text
            } else {
                fields[name, default: []].append(text)
            }
        }
    }

    /// The form's text fields, read as the console's other forms are.
    var form: ConsoleForm { ConsoleForm(fields: fields) }

    /// `name="value"` from a part's `Content-Disposition`.
    static func parameter(_ key: String, in headers: String) -> String? {
        guard let start = headers.range(of: " \(key)=\"") ?? headers.range(of: ";\(key)=\"") else { return nil }
        let rest = headers[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }

    /// The byte ranges between occurrences of `delimiter` (the preamble and epilogue dropped).
    static func split(_ bytes: [UInt8], by delimiter: [UInt8]) -> [ArraySlice<UInt8>] {
        var parts: [ArraySlice<UInt8>] = []
        var start: Int?
        var index = 0
        while let found = find(delimiter, in: bytes[index...]) {
            if let start { parts.append(bytes[start..<found]) }
            index = found + delimiter.count
            start = index
        }
        return parts
    }

    /// Where `needle` first occurs in `haystack`, as an index of the haystack's base.
    static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        var i = haystack.startIndex
        let last = haystack.endIndex - needle.count
        while i <= last {
            if haystack[i] == needle[0] && haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? { find(needle, in: haystack[...]) }
}
