import Foundation

/// A token of the expression language.
struct Token: Sendable, Equatable {
    /// What a token is.
    enum Kind: Sendable, Equatable {
        case identifier(String)
        case literal(Literal)
        case symbol(String)
        case end
    }

    var kind: Kind
    var span: Span
}

/// A problem in an expression's text, at an offset into it.
struct ExpressionError: Error, Equatable {
    var message: String
    var span: Span
}

/// Splits an expression into tokens.
struct Lexer {
    private let scalars: [Unicode.Scalar]
    private var index = 0

    init(_ text: String) { scalars = Array(text.unicodeScalars) }

    static func tokenize(_ text: String) throws(ExpressionError) -> [Token] {
        var lexer = Lexer(text)
        var tokens: [Token] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private static let twoCharSymbols: Set<String> = ["==", "!=", "<=", ">=", "&&", "||"]
    private static let oneCharSymbols: Set<Unicode.Scalar> = [
        "<", ">", "!", "(", ")", "[", "]", ",", "+", "-", "*", "/", ".",
    ]

    private mutating func next() throws(ExpressionError) -> Token {
        while index < scalars.count, scalars[index].properties.isWhitespace { index += 1 }
        let start = index
        guard index < scalars.count else { return Token(kind: .end, span: Span(start: start, end: start)) }
        let c = scalars[index]
        if c == "'" || c == "\"" { return try string(quote: c) }
        if c.isASCIIDigit { return try number() }
        if c.isIdentifierStart {
            while index < scalars.count, scalars[index].isIdentifierPart { index += 1 }
            return Token(kind: .identifier(text(start, index)), span: Span(start: start, end: index))
        }
        if index + 1 < scalars.count {
            let pair = text(index, index + 2)
            if Self.twoCharSymbols.contains(pair) {
                index += 2
                return Token(kind: .symbol(pair), span: Span(start: start, end: index))
            }
        }
        if Self.oneCharSymbols.contains(c) {
            index += 1
            return Token(kind: .symbol(String(c)), span: Span(start: start, end: index))
        }
        if c == "=" {
            throw ExpressionError(
                message: "'=' is not an operator; use '==' to compare", span: Span(start: start, end: start + 1))
        }
        throw ExpressionError(message: "unexpected character '\(c)'", span: Span(start: start, end: start + 1))
    }

    private mutating func string(quote: Unicode.Scalar) throws(ExpressionError) -> Token {
        let start = index
        index += 1
        var value = String.UnicodeScalarView()
        while index < scalars.count, scalars[index] != quote {
            if scalars[index] == "\\", index + 1 < scalars.count {
                index += 1
                switch scalars[index] {
                case "n": value.append("\n")
                case "t": value.append("\t")
                default: value.append(scalars[index])
                }
            } else {
                value.append(scalars[index])
            }
            index += 1
        }
        guard index < scalars.count else {
            throw ExpressionError(message: "unterminated string", span: Span(start: start, end: index))
        }
        index += 1
        return Token(kind: .literal(.string(String(value))), span: Span(start: start, end: index))
    }

    private mutating func number() throws(ExpressionError) -> Token {
        let start = index
        if looksLikeDate(at: index) {
            index += 10
            if index < scalars.count, scalars[index] == "T" {
                index += 1
                while index < scalars.count,
                    scalars[index].isASCIIDigit || scalars[index] == ":" || scalars[index] == "."
                {
                    index += 1
                }
                if index < scalars.count, scalars[index] == "Z" {
                    index += 1
                } else if index < scalars.count, scalars[index] == "+" || scalars[index] == "-" {
                    index += 1
                    while index < scalars.count, scalars[index].isASCIIDigit || scalars[index] == ":" { index += 1 }
                }
            }
            let span = Span(start: start, end: index)
            do {
                switch try Timestamp.parse(text(start, index)) {
                case .date(let date): return Token(kind: .literal(.date(date)), span: span)
                case .instant(let time, _): return Token(kind: .literal(.time(time)), span: span)
                }
            } catch {
                throw ExpressionError(message: "bad date or time literal: \(error.description)", span: span)
            }
        }
        while index < scalars.count, scalars[index].isASCIIDigit { index += 1 }
        if index + 1 < scalars.count, scalars[index] == ".", scalars[index + 1].isASCIIDigit {
            index += 1
            while index < scalars.count, scalars[index].isASCIIDigit { index += 1 }
        }
        let body = text(start, index)
        if index < scalars.count, let unit = Self.durationUnits[scalars[index]],
            index + 1 >= scalars.count || !scalars[index + 1].isIdentifierPart
        {
            index += 1
            let seconds = (Double(body) ?? 0) * unit
            guard seconds <= Value.maxDuration else {
                throw ExpressionError(
                    message: "a duration longer than 31,000 years", span: Span(start: start, end: index))
            }
            return Token(kind: .literal(.duration(seconds)), span: Span(start: start, end: index))
        }
        if index < scalars.count, scalars[index].isIdentifierPart {
            while index < scalars.count, scalars[index].isIdentifierPart { index += 1 }
            throw ExpressionError(
                message: "bad number or duration '\(text(start, index))'; durations are written 30s, 90m, 36h, 2d, 1w",
                span: Span(start: start, end: index))
        }
        let span = Span(start: start, end: index)
        if let int = Int(body) { return Token(kind: .literal(.int(int)), span: span) }
        if Double(body) != nil, let exact = Decimal(string: body, locale: Locale(identifier: "en_US_POSIX")) {
            return Token(kind: .literal(.decimal(exact)), span: span)
        }
        throw ExpressionError(message: "bad number '\(body)'", span: span)
    }

    private func looksLikeDate(at i: Int) -> Bool {
        guard i + 10 <= scalars.count else { return false }
        for (offset, scalar) in scalars[i..<(i + 10)].enumerated() {
            if offset == 4 || offset == 7 {
                if scalar != "-" { return false }
            } else if !scalar.isASCIIDigit {
                return false
            }
        }
        return true
    }

    private static let durationUnits: [Unicode.Scalar: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604_800]

    private func text(_ from: Int, _ to: Int) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[from..<min(to, scalars.count)])
        return String(view)
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
    fileprivate var isIdentifierStart: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) || self == "_" }
    fileprivate var isIdentifierPart: Bool { isIdentifierStart || isASCIIDigit }
}
