/// What makes an FR ambiguous however leniently it is read: a key given twice in one object
/// (which value did Flxpoint mean?) or a number no `Double` holds, such as `1e400`, which
/// would read as infinity, or `1e-400`, which would read as zero. Either makes the FR
/// malformed (quarantined, the others go on): a `cost` read as 0 would slip past a
/// `fr.value > 2500` review rule.
enum AmbiguousJSON {
    /// Throws at the first duplicate key or unrepresentable number, naming its JSON path.
    static func check(_ node: JSONNode) throws(FieldError) {
        guard var found = problem(in: node) else { return }
        found.path.reverse()
        var path = ""
        for component in found.path {
            switch component {
            case .key(let key): path += path.isEmpty ? key : ".\(key)"
            case .index(let index): path += "[\(index)]"
            }
        }
        throw FieldError(path: path, message: found.message)
    }

    /// One step of a JSON path, collected innermost first as a problem unwinds.
    private enum Component {
        case key(String)
        case index(Int)
    }

    /// The first problem under `node`. The path is built only when there is one: every FR
    /// passes through here, and nearly all of them are fine.
    private static func problem(in node: JSONNode) -> (message: String, path: [Component])? {
        switch node {
        case .number(let text):
            return numberProblem(text).map { ($0, []) }
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                if var found = problem(in: element) {
                    found.path.append(.index(index))
                    return found
                }
            }
        case .object(let members):
            if let key = duplicateKey(members) {
                return ("key '\(key.prefix(40))' appears twice in one object, so its value is ambiguous", [.key(key)])
            }
            for member in members {
                if var found = problem(in: member.value) {
                    found.path.append(.key(member.key))
                    return found
                }
            }
        default: break
        }
        return nil
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

    /// The first key given twice, or nil: pairwise for the small objects of an FR (no
    /// hashing, no allocation), by set for larger ones.
    private static func duplicateKey(_ members: [JSONMember]) -> String? {
        if members.count <= 24 {
            for i in members.indices {
                for j in members.indices where j > i && members[i].key == members[j].key { return members[i].key }
            }
            return nil
        }
        var seen = Set<String>()
        for member in members where !seen.insert(member.key).inserted { return member.key }
        return nil
    }
}
