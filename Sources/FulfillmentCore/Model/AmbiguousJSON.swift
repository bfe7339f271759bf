/// What makes an FR ambiguous however leniently it is read: a key given twice in one object
/// (which value did Flxpoint mean?) or a number no `Double` holds, such as `1e400`, which
/// would read as infinity, or `1e-400`, which would read as zero. Either makes the FR
/// malformed (quarantined, the others go on): a `cost` read as 0 would slip past a
/// `fr.value > 2500` review rule.
enum AmbiguousJSON {
    /// Throws at the first duplicate key or unrepresentable number, naming its JSON path.
    static func check(_ node: JSONNode, path: String = "") throws(FieldError) {
        switch node {
        case .number(let text):
            if let problem = numberProblem(text) { throw FieldError(path: path, message: problem) }
        case .array(let elements):
            for (index, element) in elements.enumerated() { try check(element, path: "\(path)[\(index)]") }
        case .object(let members):
            try checkKeys(members, path: path)
            for member in members {
                try check(member.value, path: path.isEmpty ? member.key : "\(path).\(member.key)")
            }
        default: break
        }
    }

    /// Why a JSON number cannot be read as the number it says, or nil. Only long literals
    /// and those with an exponent can overflow or underflow, so the usual case costs a
    /// length check.
    static func numberProblem(_ text: String) -> String? {
        guard text.utf8.count > 15 || text.utf8.contains(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") })
        else { return nil }
        guard let value = Double(text) else { return "number \(text.prefix(40)) cannot be read" }
        if !value.isFinite { return "number \(text.prefix(40)) is too large for a number" }
        if value == 0, mantissaHasNonZeroDigit(text) {
            return "number \(text.prefix(40)) is too small to tell from zero"
        }
        return nil
    }

    private static func mantissaHasNonZeroDigit(_ text: String) -> Bool {
        for byte in text.utf8 {
            if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") { return false }
            if byte >= UInt8(ascii: "1") && byte <= UInt8(ascii: "9") { return true }
        }
        return false
    }

    private static func checkKeys(_ members: [JSONMember], path: String) throws(FieldError) {
        func duplicate(_ key: String) -> FieldError {
            FieldError(
                path: path.isEmpty ? key : "\(path).\(key)",
                message: "key '\(key.prefix(40))' appears twice in one object, so its value is ambiguous")
        }
        if members.count <= 16 {
            for i in members.indices {
                for j in members.indices where j > i && members[i].key == members[j].key {
                    throw duplicate(members[i].key)
                }
            }
            return
        }
        var seen = Set<String>()
        for member in members where !seen.insert(member.key).inserted { throw duplicate(member.key) }
    }
}
