/// Quotes a value someone wrote for a message: at most a short prefix, with control
/// characters escaped, so a 1 MB value or one holding a terminal escape yields one short,
/// harmless line.
public enum Quote {
    /// Longest quoted text, in characters, before it is cut with an ellipsis.
    public static let maxCharacters = 40

    /// `'value'`, or `'first 40 characters…' (1048576 characters)` when longer.
    public static func short(_ value: some StringProtocol) -> String {
        let text = String(value)
        guard text.count > maxCharacters else { return "'\(TerminalText.escaped(text))'" }
        return "'\(TerminalText.escaped(String(text.prefix(maxCharacters))))…' (\(text.count) characters)"
    }
}

/// Makes text from an FR or a file safe to print on a terminal: C0 and C1 control
/// characters (ESC, CR, BEL…) and DEL become `\u{1B}`-style escapes, so a value cannot move
/// the cursor, recolour the screen or overwrite a line. Tabs and line breaks are escaped too:
/// one value stays on one line.
public enum TerminalText {
    /// `text` with every control character escaped; `keepingLines` leaves line breaks and
    /// tabs alone, for whole multi-line outputs whose values were escaped already.
    public static func escaped(_ text: String, keepingLines: Bool = false) -> String {
        func unsafe(_ scalar: Unicode.Scalar) -> Bool {
            isControl(scalar) && !(keepingLines && (scalar == "\n" || scalar == "\t"))
        }
        guard text.unicodeScalars.contains(where: unsafe) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            if unsafe(scalar) {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}"
    }
}
