import Foundation

/// A `note:` with `{fact.path}` placeholders, compiled once.
struct NoteTemplate: Sendable {
    /// Literal text, or a fact to fill in.
    enum Part: Sendable {
        case text(String)
        case value(Eval)
    }

    let parts: [Part]

    func render(_ frame: EvalFrame) -> String {
        var out = ""
        for part in parts {
            switch part {
            case .text(let text): out += text
            case .value(let eval): out += eval(frame).plainText(in: frame.zone)
            }
        }
        return out
    }

    /// Splits `text` into literal text and placeholders; `compile` type-checks each
    /// placeholder (given its offset in `text`) and returns nil after reporting a problem.
    static func parse(_ text: String, compile: (String, Int) -> Eval?) -> NoteTemplate? {
        var parts: [Part] = []
        var literal = ""
        var ok = true
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            if scalars[index] == "{", let close = scalars[index...].firstIndex(of: "}") {
                if !literal.isEmpty { parts.append(.text(literal)) }
                literal = ""
                var inner = String.UnicodeScalarView()
                inner.append(contentsOf: scalars[(index + 1)..<close])
                if let eval = compile(String(inner), index + 1) { parts.append(.value(eval)) } else { ok = false }
                index = close + 1
            } else {
                literal.unicodeScalars.append(scalars[index])
                index += 1
            }
        }
        if !literal.isEmpty { parts.append(.text(literal)) }
        return ok ? NoteTemplate(parts: parts) : nil
    }
}
