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

    /// Reads a file of rows as a table: the header (every `required` column present, else an
    /// error naming what is `expected`), then each row that lines up with it handed to `read`
    /// with its line and its cells by column name (trimmed; nil when empty or absent). `read`
    /// returns its row's problem, if any. Every problem is collected with its line; reading
    /// stops after `maxErrors`, so a huge file of garbage is never held in memory. Nil when
    /// every row was read.
    public static func readTable(
        _ rows: some Sequence<Result<CSVRow, CSVLineError>>, required: [String], expected: String, maxErrors: Int,
        _ read: (_ line: Int, _ field: (String) -> String?) -> CSVLineError?
    ) -> CSVErrors? {
        var rows = rows.makeIterator()
        let header: CSVRow
        switch rows.next() {
        case .success(let row)?: header = row
        case .failure(let error)?: return CSVErrors([error])
        case nil: return CSVErrors([CSVLineError(line: 1, message: "the file is empty")])
        }
        let columns: [String: Int]
        do {
            columns = try Self.columns(header)
        } catch {
            return CSVErrors([error])
        }
        let missing = required.filter { columns[$0] == nil }
        guard missing.isEmpty else {
            return CSVErrors([
                CSVLineError(
                    line: header.line,
                    message: "missing column \(missing.map { "'\($0)'" }.joined(separator: " and ")); "
                        + "expected \(expected)")
            ])
        }
        var errors: [CSVLineError] = []
        while let next = rows.next() {
            let row: CSVRow
            switch next {
            case .success(let value): row = value
            case .failure(let error):
                errors.append(error)
                continue
            }
            guard errors.count < maxErrors else {
                errors.append(CSVLineError(line: row.line, message: "stopped reading after \(maxErrors) bad lines"))
                break
            }
            if let problem = shapeProblem(row, header: header) {
                errors.append(problem)
                continue
            }
            let field = { (name: String) -> String? in
                guard let index = columns[name], index < row.fields.count else { return nil }
                return row.fields[index].trimmedNonEmpty
            }
            if let problem = read(row.line, field) { errors.append(problem) }
        }
        return errors.isEmpty ? nil : CSVErrors(errors)
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
