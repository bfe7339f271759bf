/// The escaping Mustache's `{{value}}` applies (`<`, `>`, `&`, `"`, `'`), done on bytes, for
/// the report's rows: rendering 100,000 rows through the template engine took most of the
/// report's time. A test holds the two to the same output. Unlike Mustache, a `<` carrying
/// a combining mark is escaped too.
enum HTMLEscape {
    static func append(_ text: String, to out: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): out.append(contentsOf: "&#39;".utf8)
            default: out.append(byte)
            }
        }
    }
}
