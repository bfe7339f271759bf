import Foundation

/// A strict RFC 8259 parser over bytes, several times faster than decoding `Codable` trees
/// through Foundation: a page of 100 FRs is read once, with no intermediate re-encoding.
/// Strings must be valid UTF-8 and nesting is bounded, so hostile input fails cleanly.
public struct JSONParser {
    /// Foundation's JSONDecoder refuses deeper documents too; recursion stays far from the stack's end.
    public static let maxDepth = 512

    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// One JSON document.
    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONSyntaxError) -> JSONNode {
        try withBuffer(bytes) { (parser: inout JSONParser) throws(JSONSyntaxError) -> JSONNode in
            let value = try parser.value(depth: 0)
            try parser.end()
            return value
        }
    }

    /// The elements of a top-level array, each with the byte range of its text as received;
    /// nil when the document is valid JSON but not an array.
    public static func parseArray(
        _ bytes: some Collection<UInt8>
    ) throws(JSONSyntaxError) -> [(node: JSONNode, range: Range<Int>)]? {
        try parseArray(bytes) { ($0, $1) }
    }

    /// Each element of a top-level array turned into `T` as soon as it is read, so only one
    /// element's tree is alive at a time; nil when the document is not an array.
    public static func parseArray<T>(
        _ bytes: some Collection<UInt8>, _ transform: (JSONNode, Range<Int>) -> T
    ) throws(JSONSyntaxError) -> [T]? {
        try withBuffer(bytes) { (parser: inout JSONParser) throws(JSONSyntaxError) -> [T]? in
            parser.skipSpace()
            guard parser.peek == UInt8(ascii: "[") else {
                _ = try parser.value(depth: 0)
                try parser.end()
                return nil
            }
            parser.position += 1
            var elements: [T] = []
            parser.skipSpace()
            if parser.peek == UInt8(ascii: "]") {
                parser.position += 1
            } else {
                while true {
                    parser.skipSpace()
                    let start = parser.position
                    let node = try parser.value(depth: 1)
                    elements.append(transform(node, start..<parser.position))
                    if try parser.listContinues(closing: UInt8(ascii: "]")) == false { break }
                }
            }
            try parser.end()
            return elements
        }
    }

    /// The value of one member of a top-level object, nil when the document is not an object or
    /// has no such member. The other members are checked and skipped without building their
    /// trees: replay needs a decision's stock figures, a small part of its logged facts.
    public static func member(_ name: String, of bytes: some Collection<UInt8>) throws(JSONSyntaxError) -> JSONNode? {
        try withBuffer(bytes) { (parser: inout JSONParser) throws(JSONSyntaxError) -> JSONNode? in
            parser.skipSpace()
            guard parser.peek == UInt8(ascii: "{") else {
                _ = try parser.value(depth: 0)
                try parser.end()
                return nil
            }
            parser.position += 1
            var found: JSONNode?
            parser.skipSpace()
            if parser.peek == UInt8(ascii: "}") {
                parser.position += 1
            } else {
                repeat {
                    let key = try parser.memberName()
                    if key == name, found == nil {
                        found = try parser.value(depth: 1)
                    } else {
                        try parser.skipValue(depth: 1)
                    }
                } while try parser.listContinues(closing: UInt8(ascii: "}"))
            }
            try parser.end()
            return found
        }
    }

    private static func withBuffer<T>(
        _ bytes: some Collection<UInt8>, _ body: (inout JSONParser) throws(JSONSyntaxError) -> T
    ) throws(JSONSyntaxError) -> T {
        let result: Result<T, JSONSyntaxError>? = bytes.withContiguousStorageIfAvailable { buffer in
            var parser = JSONParser(buffer)
            return Result { () throws(JSONSyntaxError) in try body(&parser) }
        }
        if let result { return try result.get() }
        let copy = Array(bytes)
        return try copy.withUnsafeBufferPointer { buffer throws(JSONSyntaxError) in
            var parser = JSONParser(buffer)
            return try body(&parser)
        }
    }

    private var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipSpace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    private mutating func end() throws(JSONSyntaxError) {
        skipSpace()
        if position < bytes.count { throw failure("unexpected text after the JSON value") }
    }

    private mutating func value(depth: Int) throws(JSONSyntaxError) -> JSONNode {
        skipSpace()
        guard let byte = peek else { throw failure("unexpected end of data") }
        switch byte {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw failure("unexpected character \(Self.show(byte))")
        }
    }

    private mutating func literal(_ word: StaticString, _ node: JSONNode) throws(JSONSyntaxError) -> JSONNode {
        let count = word.utf8CodeUnitCount
        guard bytes.count - position >= count,
            (0..<count).allSatisfy({ bytes[position + $0] == word.utf8Start[$0] })
        else { throw failure("unexpected character \(Self.show(bytes[position]))") }
        position += count
        return node
    }

    /// After an element: true at a comma (more follow), false at the closing bracket.
    private mutating func listContinues(closing: UInt8) throws(JSONSyntaxError) -> Bool {
        skipSpace()
        guard let byte = peek else { throw failure("unexpected end of data") }
        position += 1
        if byte == UInt8(ascii: ",") { return true }
        if byte == closing { return false }
        position -= 1
        throw failure("expected ',' or '\(Character(Unicode.Scalar(closing)))', found \(Self.show(byte))")
    }

    private mutating func array(depth: Int) throws(JSONSyntaxError) -> JSONNode {
        guard depth <= Self.maxDepth else { throw failure("nested deeper than \(Self.maxDepth) levels") }
        position += 1
        var elements: [JSONNode] = []
        skipSpace()
        if peek == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        repeat {
            elements.append(try value(depth: depth))
        } while try listContinues(closing: UInt8(ascii: "]"))
        return .array(elements)
    }

    private mutating func object(depth: Int) throws(JSONSyntaxError) -> JSONNode {
        guard depth <= Self.maxDepth else { throw failure("nested deeper than \(Self.maxDepth) levels") }
        position += 1
        var members: [JSONMember] = []
        skipSpace()
        if peek == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        repeat {
            let key = try memberName()
            members.append(JSONMember(key: key, value: try value(depth: depth)))
        } while try listContinues(closing: UInt8(ascii: "}"))
        return .object(members)
    }

    /// A member's quoted name and the colon after it.
    private mutating func memberName() throws(JSONSyntaxError) -> String {
        skipSpace()
        guard peek == UInt8(ascii: "\"") else { throw failure("expected a quoted member name") }
        let key = try string()
        skipSpace()
        guard peek == UInt8(ascii: ":") else { throw failure("expected ':' after a member name") }
        position += 1
        return key
    }

    /// Moves past one value, checking its syntax as `value` does (but not the UTF-8 inside a
    /// string), without building it.
    private mutating func skipValue(depth: Int) throws(JSONSyntaxError) {
        skipSpace()
        switch peek {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let closing = peek == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
            guard depth + 1 <= Self.maxDepth else { throw failure("nested deeper than \(Self.maxDepth) levels") }
            position += 1
            skipSpace()
            if peek == closing {
                position += 1
                return
            }
            repeat {
                if closing == UInt8(ascii: "}") { _ = try memberName() }
                try skipValue(depth: depth + 1)
            } while try listContinues(closing: closing)
        case UInt8(ascii: "\""): try skipString()
        default: _ = try value(depth: depth)
        }
    }

    /// Moves past a string: its escapes are stepped over, a control character is refused.
    private mutating func skipString() throws(JSONSyntaxError) {
        position += 1
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return
            }
            if byte < 0x20 { throw failure("control character \(Self.show(byte)) inside a string") }
            position += byte == UInt8(ascii: "\\") ? 2 : 1
        }
        throw failure("unterminated string")
    }

    private mutating func string() throws(JSONSyntaxError) -> String {
        position += 1
        let start = position
        var high: UInt8 = 0
        while position < bytes.count {
            let byte = bytes[position]
            high |= byte
            if byte == UInt8(ascii: "\"") {
                // ASCII needs no validation: most strings in an FR take this path.
                let text =
                    high < 0x80
                    ? String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                    : try utf8(start..<position)
                position += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { return try escapedString(from: start) }
            if byte < 0x20 { throw failure("control character \(Self.show(byte)) inside a string") }
            position += 1
        }
        throw failure("unterminated string")
    }

    /// The slow path, for strings with escapes.
    private mutating func escapedString(from start: Int) throws(JSONSyntaxError) -> String {
        var out = try utf8(start..<position)
        while position < bytes.count {
            let runStart = position
            while position < bytes.count, bytes[position] != UInt8(ascii: "\""), bytes[position] != UInt8(ascii: "\\") {
                if bytes[position] < 0x20 {
                    throw failure("control character \(Self.show(bytes[position])) inside a string")
                }
                position += 1
            }
            out += try utf8(runStart..<position)
            guard position < bytes.count else { break }
            if bytes[position] == UInt8(ascii: "\"") {
                position += 1
                return out
            }
            position += 1
            guard let escape = peek else { break }
            position += 1
            switch escape {
            case UInt8(ascii: "\""): out += "\""
            case UInt8(ascii: "\\"): out += "\\"
            case UInt8(ascii: "/"): out += "/"
            case UInt8(ascii: "b"): out += "\u{08}"
            case UInt8(ascii: "f"): out += "\u{0C}"
            case UInt8(ascii: "n"): out += "\n"
            case UInt8(ascii: "r"): out += "\r"
            case UInt8(ascii: "t"): out += "\t"
            case UInt8(ascii: "u"): out.unicodeScalars.append(try unicodeEscape())
            default:
                position -= 1
                throw failure("invalid escape \\\(Character(Unicode.Scalar(escape)))")
            }
        }
        throw failure("unterminated string")
    }

    /// `\uXXXX`, joining a surrogate pair; a lone surrogate is refused as Foundation does.
    private mutating func unicodeEscape() throws(JSONSyntaxError) -> Unicode.Scalar {
        let first = try hex4()
        if (0xD800...0xDBFF).contains(first) {
            guard bytes.count - position >= 6, bytes[position] == UInt8(ascii: "\\"),
                bytes[position + 1] == UInt8(ascii: "u")
            else { throw failure("unpaired surrogate in \\u escape") }
            position += 2
            let second = try hex4()
            guard (0xDC00...0xDFFF).contains(second) else { throw failure("unpaired surrogate in \\u escape") }
            let combined = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            return Unicode.Scalar(combined)!
        }
        guard let scalar = Unicode.Scalar(first) else { throw failure("unpaired surrogate in \\u escape") }
        return scalar
    }

    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard bytes.count - position >= 4 else { throw failure("incomplete \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("invalid hex digit \(Self.show(byte)) in \\u escape")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    private func utf8(_ range: Range<Int>) throws(JSONSyntaxError) -> String {
        let slice = UnsafeBufferPointer(rebasing: bytes[range])
        guard let text = String(validating: slice, as: UTF8.self) else {
            throw JSONSyntaxError(message: "a string is not valid UTF-8", line: 1, column: 1).located(
                range.lowerBound, in: bytes)
        }
        return text
    }

    /// `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`, kept as text.
    private mutating func number() throws(JSONSyntaxError) -> String {
        let start = position
        if peek == UInt8(ascii: "-") { position += 1 }
        guard let first = peek, Self.isDigit(first) else { throw failure("a number needs digits") }
        position += 1
        if first != UInt8(ascii: "0") { skipDigits() }
        if peek == UInt8(ascii: ".") {
            position += 1
            guard let digit = peek, Self.isDigit(digit) else { throw failure("a number needs digits after '.'") }
            skipDigits()
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            position += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { position += 1 }
            guard let digit = peek, Self.isDigit(digit) else { throw failure("a number needs digits in its exponent") }
            skipDigits()
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    private mutating func skipDigits() {
        while let byte = peek, Self.isDigit(byte) { position += 1 }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func show(_ byte: UInt8) -> String {
        (0x21..<0x7F).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x" + String(byte, radix: 16)
    }

    private func failure(_ message: String) -> JSONSyntaxError {
        JSONSyntaxError(message: message, line: 1, column: 1).located(position, in: bytes)
    }
}

extension JSONSyntaxError {
    /// Line and column (in bytes, from 1) of `offset`: counted only when something failed.
    fileprivate func located(_ offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> JSONSyntaxError {
        var line = 1
        var lineStart = 0
        for index in 0..<min(offset, bytes.count) where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        return JSONSyntaxError(message: message, line: line, column: offset - lineStart + 1)
    }
}
