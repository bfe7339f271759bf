import Foundation

/// A row of a CSV file with the line it starts on (1-based, the header is line 1).
public struct CSVRow: Sendable, Equatable {
    /// 1-based line in the file.
    public var line: Int
    /// The row's cells, unquoted.
    public var fields: [String]
}

/// A problem with one line of a CSV file, rendered `path:line: message`.
public struct CSVLineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based line in the file.
    public var line: Int
    /// What is wrong with the row.
    public var message: String

    /// A `CSVLineError` from its parts.
    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    /// The text shown in messages and logs.
    public var description: String { "line \(line): \(message)" }

    /// The error as `path:line: message`.
    public func rendered(path: String) -> String { "\(path):\(line): \(message)" }
}

/// RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF, a header row.
public enum CSV {
    /// Splits `text` into rows; blank lines are skipped and a leading byte-order mark is
    /// ignored. An unterminated quote, or a control character in a cell (NUL and the like: a
    /// binary or wrongly encoded file), is an error naming its line.
    public static func rows(_ text: String) throws(CSVLineError) -> [CSVRow] {
        try CSVRowReader(text: text).map { result throws(CSVLineError) in try result.get() }
    }

    /// C0 controls but tab, and DEL.
    static func isControl(_ c: Unicode.Scalar) -> Bool { (c.value < 0x20 && c != "\t") || c.value == 0x7F }

    static func controlError(_ c: Unicode.Scalar, line: Int) -> CSVLineError {
        let code = "U+" + String(format: "%04X", c.value)
        return CSVLineError(
            line: line, message: "a cell holds the control character \(code); is this a text CSV in UTF-8?")
    }

    /// A header's column positions by lower-cased, trimmed name. A name given twice is an
    /// error: which of the two columns holds the figures?
    public static func columns(_ header: CSVRow) throws(CSVLineError) -> [String: Int] {
        var out: [String: Int] = [:]
        for (index, name) in header.fields.enumerated() {
            let key = name.trimmingCharacters(in: .whitespaces).lowercased()
            if let first = out[key], !key.isEmpty {
                throw CSVLineError(
                    line: header.line,
                    message: "column '\(key.prefix(40))' appears twice (columns \(first + 1) and \(index + 1))")
            }
            out[key] = index
        }
        return out
    }

    /// Why a row does not line up with the header, or nil: a missing or extra field means
    /// the values may sit under the wrong names.
    public static func shapeProblem(_ row: CSVRow, header: CSVRow) -> CSVLineError? {
        guard row.fields.count != header.fields.count else { return nil }
        return CSVLineError(
            line: row.line,
            message: "\(row.fields.count) field\(row.fields.count == 1 ? "" : "s") where the header has "
                + "\(header.fields.count); a missing or extra comma?")
    }

    /// Makes a cell safe to open in a spreadsheet: a leading `= + - @` (or tab/CR) is
    /// prefixed with `'` so it is not run as a formula; quotes are applied when needed.
    public static func cell(_ value: String) -> String {
        var text = value
        if let first = text.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
            text = "'" + text
        }
        if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return text
    }
}

/// Every bad line of a CSV file.
public struct CSVErrors: Error, Sendable, Equatable {
    /// Every bad row, in file order.
    public var errors: [CSVLineError]

    /// A `CSVErrors` from its parts.
    public init(_ errors: [CSVLineError]) { self.errors = errors }

    /// Every error as `path:line: message`.
    public func rendered(path: String) -> [String] { errors.map { $0.rendered(path: path) } }
}
