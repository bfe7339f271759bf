import Foundation

/// Compact JSON written straight into bytes, for the outputs printed per decision where
/// `JSONEncoder`'s intermediate tree and key sorting cost more than the decision itself.
/// Callers write keys in sorted order; the text equals `StableJSON.encoder()`'s (a test
/// compares the two), so switching between them never changes what a reader sees.
public struct JSONText {
    /// The UTF-8 written so far.
    public private(set) var bytes: [UInt8] = []
    private var needsComma = false

    /// A `JSONText` from its parts.
    public init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    /// What was written, as a string.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Writes `{`, what `body` writes, then `}`.
    public mutating func object(_ body: (inout JSONText) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        body(&self)
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Writes the elements as an array, each by `body`.
    public mutating func array<S: Sequence>(_ elements: S, _ body: (inout JSONText, S.Element) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
        for element in elements { body(&self, element) }
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// A member name; the value written next belongs to it.
    public mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        needsComma = false
    }

    /// A member name that comes from data (a SKU, a location): escaped like any string.
    public mutating func key(_ name: String) {
        string(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// Writes a string, escaped, or `null`.
    public mutating func string(_ value: String?) {
        separate()
        guard let value else { return appendNull() }
        bytes.append(UInt8(ascii: "\""))
        var text = value
        text.withUTF8 { escape($0) }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// Writes an integer, or `null`.
    public mutating func int(_ value: Int?) {
        separate()
        guard let value else { return appendNull() }
        bytes.append(contentsOf: String(value).utf8)
        needsComma = true
    }

    /// Writes `true` or `false`.
    public mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: value ? Array("true".utf8) : Array("false".utf8))
        needsComma = true
    }

    /// Text that is already JSON, e.g. a nested value from `JSONEncoder`.
    public mutating func raw(_ json: some Sequence<UInt8>) {
        separate()
        bytes.append(contentsOf: json)
        needsComma = true
    }

    private mutating func appendNull() {
        bytes.append(contentsOf: [UInt8(ascii: "n"), UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l")])
        needsComma = true
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    private mutating func escape(_ utf8: some Collection<UInt8>) {
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                bytes.append(contentsOf: [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: bytes.append(byte)
            }
        }
    }
}

extension JSONText {
    /// As `JSONEncoder` writes a `Double`: integral values without a fraction.
    public mutating func double(_ value: Double) {
        if value == 0, value.sign == .minus {
            raw("-0".utf8)
        } else if value.isFinite, value == value.rounded(), abs(value) < 1e15 {
            int(Int(value))
        } else {
            raw("\(value)".utf8)
        }
    }

    /// An instant as the stable encoder writes it: UTC ISO 8601.
    public mutating func instant(_ value: Date) { string(Timestamp.utcString(value)) }

    /// Writes an array of strings.
    public mutating func strings(_ values: [String]) { array(values) { $0.string($1) } }
}
