/// Reads a `matches` pattern into a `PatternNode` by recursive descent. Every refusal says
/// what to write instead; nothing here runs the pattern.
struct PatternParser {
    /// A counted repeat above this is refused: `{1,100000}` would expand past any sane program.
    static let maxCount = 1_000
    /// Groups nested deeper than this are refused before the recursion could exhaust the stack.
    static let maxDepth = 100

    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var depth = 0
    private(set) var ignoreCase = false

    init(_ pattern: String) { scalars = Array(pattern.unicodeScalars) }

    /// The whole pattern; a leading `(?i)` makes it case-insensitive.
    mutating func parse() throws(PatternError) -> PatternNode {
        if scalars.starts(with: Array("(?i)".unicodeScalars)) {
            ignoreCase = true
            index = 4
        }
        let node = try alternation()
        if index < scalars.count {
            // Only an unmatched `)` stops the top-level alternation early.
            throw fail("unmatched ')'")
        }
        return node
    }

    private func fail(_ message: String, at offset: Int? = nil) -> PatternError {
        PatternError(message: message, offset: (offset ?? index) + 1)
    }

    private var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    private mutating func alternation() throws(PatternError) -> PatternNode {
        var branches = [try sequence()]
        while peek == "|" {
            index += 1
            branches.append(try sequence())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func sequence() throws(PatternError) -> PatternNode {
        var items: [PatternNode] = []
        while let next = peek, next != "|", next != ")" {
            let atomStart = index
            var atom = try self.atom()
            while let quantifier = try self.quantifier() {
                if case .assertion = atom {
                    throw fail("an anchor such as '^', '$' or '\\b' cannot be repeated", at: atomStart)
                }
                atom = .repeating(atom, min: quantifier.min, max: quantifier.max)
            }
            items.append(atom)
        }
        switch items.count {
        case 0: return .empty
        case 1: return items[0]
        default: return .concat(items)
        }
    }

    /// `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`, each optionally lazy (`?`: the same match or not).
    private mutating func quantifier() throws(PatternError) -> (min: Int, max: Int?)? {
        guard let next = peek else { return nil }
        let start = index
        var bounds: (min: Int, max: Int?)
        switch next {
        case "*": bounds = (0, nil)
        case "+": bounds = (1, nil)
        case "?": bounds = (0, 1)
        case "{": bounds = try counted()
        default: return nil
        }
        if next != "{" { index += 1 }
        if peek == "?" {
            index += 1
        } else if peek == "+" {
            throw fail("possessive repeats ('\(next)+') are not supported; drop the '+' after the repeat", at: start)
        }
        return bounds
    }

    private mutating func counted() throws(PatternError) -> (min: Int, max: Int?) {
        let start = index
        index += 1
        func number(_ parser: inout PatternParser) -> Int? {
            var digits = ""
            while let digit = parser.peek, ("0"..."9").contains(digit), digits.count < 8 {
                digits.unicodeScalars.append(digit)
                parser.index += 1
            }
            return Int(digits)
        }
        let brace = "'{' starts a repeat such as {2}, {2,} or {2,5}; write \\{ for a brace"
        guard let low = number(&self) else { throw fail(brace, at: start) }
        var high: Int? = low
        if peek == "," {
            index += 1
            high = peek == "}" ? nil : number(&self)
            if high == nil, peek != "}" { throw fail(brace, at: start) }
        }
        guard peek == "}" else { throw fail(brace, at: start) }
        index += 1
        if let high, high < low { throw fail("repeat {\(low),\(high)} has its numbers the wrong way round", at: start) }
        if max(low, high ?? 0) > Self.maxCount {
            throw fail("a repeat count above \(Self.maxCount) is not supported", at: start)
        }
        return (low, high)
    }

    private mutating func atom() throws(PatternError) -> PatternNode {
        let start = index
        let scalar = scalars[index]
        index += 1
        switch scalar {
        case "*", "+", "?":
            throw fail("'\(scalar)' has nothing before it to repeat; write \\\(scalar) for the character", at: start)
        case "{":
            throw fail("'{' has nothing before it to repeat; write \\{ for a brace", at: start)
        case ".": return .any
        case "^": return .assertion(.start)
        case "$": return .assertion(.endOrFinalBreak)
        case "[": return .set(try characterClass(start: start))
        case "(": return try group(start: start)
        case "\\": return try escape(inClass: false)
        default: return .scalar(scalar)
        }
    }

    private mutating func group(start: Int) throws(PatternError) -> PatternNode {
        if peek == "?" {
            let rest = String(String.UnicodeScalarView(scalars[index..<min(scalars.count, index + 3)]))
            if rest.hasPrefix("?:") {
                index += 2
            } else if rest.hasPrefix("?<"), !rest.hasPrefix("?<="), !rest.hasPrefix("?<!") {
                // A named group: the name is only a label here.
                guard let close = scalars[index...].firstIndex(of: ">") else {
                    throw fail("a named group needs '>' after its name", at: start)
                }
                index = close + 1
            } else if rest.hasPrefix("?=") || rest.hasPrefix("?!") || rest.hasPrefix("?<") {
                throw fail("lookaround ('(\(rest.prefix(3))') is not supported; match the text itself", at: start)
            } else {
                throw fail(
                    "'(\(rest.prefix(2))' is not supported; use '(' or '(?:', and '(?i)' only at the start", at: start)
            }
        }
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maxDepth { throw fail("groups nest deeper than \(Self.maxDepth) levels", at: start) }
        let inner = try alternation()
        guard peek == ")" else { throw fail("'(' is never closed", at: start) }
        index += 1
        return inner
    }

    /// `\d`, `\.`, `\x41`, `\b` and the rest; inside a class, `\b` is not an anchor.
    private mutating func escape(inClass: Bool) throws(PatternError) -> PatternNode {
        let start = index - 1
        guard let next = peek else { throw fail("the pattern ends with a lone '\\'", at: start) }
        index += 1
        switch next {
        case "d": return .set(.named(.digit, negated: false))
        case "D": return .set(.named(.digit, negated: true))
        case "w": return .set(.named(.word, negated: false))
        case "W": return .set(.named(.word, negated: true))
        case "s": return .set(.named(.space, negated: false))
        case "S": return .set(.named(.space, negated: true))
        case "t": return .scalar("\t")
        case "n": return .scalar("\n")
        case "r": return .scalar("\r")
        case "f": return .scalar("\u{0C}")
        case "v": return .scalar("\u{0B}")
        case "e": return .scalar("\u{1B}")
        case "b" where !inClass: return .assertion(.wordBoundary(true))
        case "B" where !inClass: return .assertion(.wordBoundary(false))
        case "A" where !inClass: return .assertion(.start)
        case "Z" where !inClass: return .assertion(.endOrFinalBreak)
        case "z" where !inClass: return .assertion(.end)
        case "x", "u": return .scalar(try hexScalar(start: start, unicode: next == "u"))
        case "1"..."9":
            throw fail("backreferences ('\\\(next)') are not supported; repeat the text instead", at: start)
        default:
            if next.properties.isAlphabetic || ("0"..."9").contains(next) {
                throw fail("unknown escape '\\\(next)'; write the character itself, or \\\\ for a backslash", at: start)
            }
            return .scalar(next)
        }
    }

    /// `\x41`, `\x{1F600}`, `\u00E9`.
    private mutating func hexScalar(start: Int, unicode: Bool) throws(PatternError) -> Unicode.Scalar {
        var digits = ""
        if !unicode, peek == "{" {
            index += 1
            while let digit = peek, digit != "}", digits.count <= 8 {
                digits.unicodeScalars.append(digit)
                index += 1
            }
            guard peek == "}" else { throw fail("'\\x{' needs hex digits and '}'", at: start) }
            index += 1
        } else {
            for _ in 0..<(unicode ? 4 : 2) {
                guard let digit = peek else { break }
                digits.unicodeScalars.append(digit)
                index += 1
            }
        }
        guard let value = UInt32(digits, radix: 16), let scalar = Unicode.Scalar(value) else {
            throw fail("'\\\(unicode ? "u" : "x")' needs hex digits of a character", at: start)
        }
        return scalar
    }

    private mutating func characterClass(start: Int) throws(PatternError) -> PatternSet {
        var set = PatternSet()
        if peek == "^" {
            set.negated = true
            index += 1
        }
        var first = true
        while true {
            guard let next = peek else { throw fail("'[' is never closed; write \\[ for a bracket", at: start) }
            if next == "]", !first {
                index += 1
                return set
            }
            first = false
            if next == "[" {
                throw fail("'[' inside a class is not supported; write \\[ for a bracket", at: index)
            }
            let low = try classMember()
            guard case .scalar(let lowScalar) = low else {
                if case .set(let named) = low { set.named += named.named }
                continue
            }
            // `a-z`, but a '-' first, last or after a range is itself.
            if peek == "-", index + 1 < scalars.count, scalars[index + 1] != "]" {
                let dash = index
                index += 1
                guard case .scalar(let highScalar) = try classMember() else {
                    throw fail("a range in a class must end at a character, not a class such as \\d", at: dash)
                }
                guard lowScalar.value <= highScalar.value else {
                    throw fail("range '\(lowScalar)-\(highScalar)' goes backwards", at: dash)
                }
                set.ranges.append(lowScalar.value...highScalar.value)
            } else {
                set.ranges.append(lowScalar.value...lowScalar.value)
            }
        }
    }

    private mutating func classMember() throws(PatternError) -> PatternNode {
        let scalar = scalars[index]
        index += 1
        return scalar == "\\" ? try escape(inClass: true) : .scalar(scalar)
    }
}
