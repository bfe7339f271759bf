/// The rows of a CSV file read in chunks of bytes, so a file of any size takes bounded
/// memory: rows come out as their line ends, a row longer than `maxRowLength` characters is
/// an error (a file without line breaks is not a CSV), and the first error ends the rows.
/// Bytes that are not UTF-8 are an error naming the line they are on.
public struct CSVRowReader: Sequence, IteratorProtocol {
    /// Longest row accepted, in bytes: a longer one is named and skipped, never read into memory whole.
    public static let maxRowLength = 65_536

    private let nextChunk: () -> [UInt8]?
    private var scanner = CSVScanner()
    /// The first bytes of a character split between two chunks.
    private var carried: [UInt8] = []
    private var ready: [Result<CSVRow, CSVLineError>] = []
    private var readyIndex = 0
    private var finished = false

    /// `nextChunk` returns the next bytes, or nil at the end of the file.
    public init(chunks nextChunk: @escaping () -> [UInt8]?) { self.nextChunk = nextChunk }

    /// A `CSVRowReader` from its parts.
    public init(text: String) {
        var bytes: [UInt8]? = Array(text.utf8)
        self.init(chunks: {
            defer { bytes = nil }
            return bytes
        })
    }

    /// The next row, a named error for a bad one, or nil at the end of the text.
    public mutating func next() -> Result<CSVRow, CSVLineError>? {
        while readyIndex == ready.count {
            guard !finished else { return nil }
            ready.removeAll(keepingCapacity: true)
            readyIndex = 0
            fill()
        }
        defer { readyIndex += 1 }
        return ready[readyIndex]
    }

    private mutating func fill() {
        var rows: [CSVRow] = []
        do throws(CSVLineError) {
            if let chunk = nextChunk() {
                try decode(carried + chunk, into: &rows)
            } else {
                finished = true
                if !carried.isEmpty { throw notUTF8() }
                try scanner.finish(into: &rows)
            }
        } catch {
            finished = true
            ready = rows.map { .success($0) } + [.failure(error)]
            return
        }
        ready = rows.map { .success($0) }
    }

    private mutating func decode(_ bytes: [UInt8], into rows: inout [CSVRow]) throws(CSVLineError) {
        let complete = bytes.count - Self.incompleteTail(bytes)
        carried = Array(bytes[complete...])
        var iterator = bytes[..<complete].makeIterator()
        var decoder = Unicode.UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): try scanner.feed(scalar, into: &rows)
            case .emptyInput: return
            case .error: throw notUTF8()
            }
        }
    }

    private func notUTF8() -> CSVLineError {
        CSVLineError(line: scanner.line, message: "this line is not UTF-8 text; save the file as CSV in UTF-8")
    }

    /// How many bytes at the end begin a character that the next chunk completes.
    static func incompleteTail(_ bytes: [UInt8]) -> Int {
        for back in 1..<(Swift.min(3, bytes.count) + 1) {
            let byte = bytes[bytes.count - back]
            if byte & 0xC0 == 0x80 { continue }  // a continuation byte: keep looking for the lead
            let width = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            return width > back ? back : 0
        }
        return 0
    }
}

/// The CSV state machine, one character at a time.
struct CSVScanner {
    /// The line being read (1-based).
    private(set) var line = 1
    private var field = String.UnicodeScalarView()
    private var fields: [String] = []
    private var rowStart = 1
    private var rowLength = 0
    private var inQuotes = false
    private var quoteStart = 0
    /// A quote inside quotes: a doubled quote if the next character is one too.
    private var quoteInQuotes = false
    /// A CR ended the row; an LF right after it belongs to it.
    private var afterCR = false
    private var started = false

    mutating func feed(_ c: Unicode.Scalar, into rows: inout [CSVRow]) throws(CSVLineError) {
        if !started {
            started = true
            if c == "\u{FEFF}" { return }
        }
        if afterCR {
            afterCR = false
            if c == "\n" { return }
        }
        rowLength += 1
        if rowLength > CSVRowReader.maxRowLength {
            throw CSVLineError(
                line: rowStart,
                message: "a row longer than \(CSVRowReader.maxRowLength) characters; is this a CSV file?")
        }
        if quoteInQuotes {
            quoteInQuotes = false
            if c == "\"" {
                field.append("\"")
                return
            }
            inQuotes = false
        }
        if inQuotes {
            if c == "\"" {
                quoteInQuotes = true
                return
            }
            if c == "\n" { line += 1 }
            if CSV.isControl(c), c != "\n", c != "\r" { throw CSV.controlError(c, line: line) }
            field.append(c)
            return
        }
        switch c {
        case "\"" where field.isEmpty:
            inQuotes = true
            quoteStart = line
        case ",":
            fields.append(String(field))
            field = String.UnicodeScalarView()
        case "\n", "\r":
            endRow(into: &rows)
            line += 1
            rowStart = line
            afterCR = c == "\r"
        default:
            if CSV.isControl(c) { throw CSV.controlError(c, line: line) }
            field.append(c)
        }
    }

    mutating func finish(into rows: inout [CSVRow]) throws(CSVLineError) {
        if quoteInQuotes { inQuotes = false }
        if inQuotes { throw CSVLineError(line: quoteStart, message: "a quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty { endRow(into: &rows) }
    }

    private mutating func endRow(into rows: inout [CSVRow]) {
        fields.append(String(field))
        field = String.UnicodeScalarView()
        if !(fields.count == 1 && fields[0].isEmpty) { rows.append(CSVRow(line: rowStart, fields: fields)) }
        fields = []
        rowLength = 0
    }
}
