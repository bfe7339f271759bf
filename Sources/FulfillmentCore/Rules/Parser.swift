/// Recursive-descent parser for the expression language.
///
/// Precedence, loosest first: `or`, `and`, `not`, comparisons (not chainable), `+ -`, `* /`,
/// unary minus, then literals, paths, calls, lists and parentheses.
struct Parser {
    private let tokens: [Token]
    private var index = 0

    private init(tokens: [Token]) { self.tokens = tokens }

    static func parse(_ text: String) throws(ExpressionError) -> Expr {
        var parser = Parser(tokens: try Lexer.tokenize(text))
        guard parser.peek.kind != .end else {
            throw ExpressionError(message: "empty expression", span: Span(start: 0, end: 0))
        }
        let expr = try parser.parseOr()
        guard parser.peek.kind == .end else {
            throw ExpressionError(
                message: "unexpected \(parser.peek.describe) after the expression", span: parser.peek.span)
        }
        return expr
    }

    private var peek: Token { tokens[index] }

    /// Nesting so far: each `not`, unary minus, parenthesis, call or list goes one deeper.
    private var nesting = 0

    /// Steps one level deeper, refusing what would recurse without bound (a file nesting
    /// `not` 100,000 times would otherwise overflow the stack).
    private mutating func deeper(at span: Span) throws(ExpressionError) {
        nesting += 1
        if nesting > Expr.maxDepth {
            throw ExpressionError(message: "expression nested deeper than \(Expr.maxDepth) levels", span: span)
        }
    }

    /// A binary node, refused when its chain grows deeper than `Expr.maxDepth`.
    private func binary(_ op: BinaryOp, _ lhs: Expr, _ rhs: Expr) throws(ExpressionError) -> Expr {
        let node = Expr(kind: .binary(op, lhs, rhs), span: lhs.span.to(rhs.span))
        if node.depth > Expr.maxDepth {
            throw ExpressionError(
                message: "expression nested deeper than \(Expr.maxDepth) levels; split the rule", span: node.span)
        }
        return node
    }

    private func peekIs(_ word: String, offset: Int = 0) -> Bool {
        guard index + offset < tokens.count else { return false }
        switch tokens[index + offset].kind {
        case .identifier(let name): return name == word
        case .symbol(let symbol): return symbol == word
        default: return false
        }
    }

    private mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    private mutating func expect(_ symbol: String, _ context: String) throws(ExpressionError) -> Token {
        guard peekIs(symbol) else {
            throw ExpressionError(message: "expected '\(symbol)' \(context), found \(peek.describe)", span: peek.span)
        }
        return advance()
    }

    private mutating func parseOr() throws(ExpressionError) -> Expr {
        var lhs = try parseAnd()
        while peekIs("or") || peekIs("||") {
            _ = advance()
            let rhs = try parseAnd()
            lhs = try binary(.or, lhs, rhs)
        }
        return lhs
    }

    private mutating func parseAnd() throws(ExpressionError) -> Expr {
        var lhs = try parseNot()
        while peekIs("and") || peekIs("&&") {
            _ = advance()
            let rhs = try parseNot()
            lhs = try binary(.and, lhs, rhs)
        }
        return lhs
    }

    private mutating func parseNot() throws(ExpressionError) -> Expr {
        if peekIs("not") || peekIs("!") {
            let token = advance()
            try deeper(at: token.span)
            defer { nesting -= 1 }
            let inner = try parseNot()
            return Expr(kind: .not(inner), span: token.span.to(inner.span))
        }
        return try parseComparison()
    }

    private static let comparisonWords: [String: BinaryOp] = [
        "==": .equal, "!=": .notEqual, "<": .less, "<=": .lessEqual, ">": .greater, ">=": .greaterEqual,
        "in": .isIn, "contains": .contains, "starts_with": .startsWith, "ends_with": .endsWith, "matches": .matches,
    ]

    private mutating func comparisonOperator() -> BinaryOp? {
        if peekIs("not") && peekIs("in", offset: 1) {
            _ = advance()
            _ = advance()
            return .notIn
        }
        for (word, op) in Self.comparisonWords where peekIs(word) {
            _ = advance()
            return op
        }
        return nil
    }

    private mutating func parseComparison() throws(ExpressionError) -> Expr {
        let lhs = try parseAdditive()
        guard let op = comparisonOperator() else { return lhs }
        let rhs = try parseAdditive()
        let expr = try binary(op, lhs, rhs)
        let next = peek
        if comparisonOperator() != nil {
            throw ExpressionError(
                message: "comparisons cannot be chained; join them with 'and'", span: next.span)
        }
        return expr
    }

    private mutating func parseAdditive() throws(ExpressionError) -> Expr {
        var lhs = try parseMultiplicative()
        while peekIs("+") || peekIs("-") {
            let op: BinaryOp = peekIs("+") ? .add : .subtract
            _ = advance()
            let rhs = try parseMultiplicative()
            lhs = try binary(op, lhs, rhs)
        }
        return lhs
    }

    private mutating func parseMultiplicative() throws(ExpressionError) -> Expr {
        var lhs = try parseUnary()
        while peekIs("*") || peekIs("/") {
            let op: BinaryOp = peekIs("*") ? .multiply : .divide
            _ = advance()
            let rhs = try parseUnary()
            lhs = try binary(op, lhs, rhs)
        }
        return lhs
    }

    private mutating func parseUnary() throws(ExpressionError) -> Expr {
        if peekIs("-") {
            let token = advance()
            try deeper(at: token.span)
            defer { nesting -= 1 }
            let inner = try parseUnary()
            return Expr(kind: .negate(inner), span: token.span.to(inner.span))
        }
        return try parsePrimary()
    }

    private static let reserved: Set<String> = [
        "and", "or", "not", "in", "contains", "starts_with", "ends_with", "matches",
    ]

    private mutating func parsePrimary() throws(ExpressionError) -> Expr {
        let token = advance()
        try deeper(at: token.span)
        defer { nesting -= 1 }
        switch token.kind {
        case .literal(let literal):
            return Expr(kind: .literal(literal), span: token.span)
        case .identifier("true"):
            return Expr(kind: .literal(.bool(true)), span: token.span)
        case .identifier("false"):
            return Expr(kind: .literal(.bool(false)), span: token.span)
        case .identifier(let name) where !Self.reserved.contains(name):
            if peekIs("(") {
                _ = advance()
                var args: [Expr] = []
                if !peekIs(")") {
                    repeat {
                        if peekIs(",") { _ = advance() }
                        args.append(try parseOr())
                    } while peekIs(",")
                }
                let close = try expect(")", "to close the call to \(name)()")
                return Expr(kind: .call(name, args), span: token.span.to(close.span))
            }
            var parts = [name]
            var span = token.span
            while peekIs(".") {
                _ = advance()
                let part = advance()
                guard case .identifier(let next) = part.kind else {
                    throw ExpressionError(message: "expected a name after '.', found \(part.describe)", span: part.span)
                }
                parts.append(next)
                span = span.to(part.span)
            }
            return Expr(kind: .path(parts), span: span)
        case .symbol("("):
            let inner = try parseOr()
            let close = try expect(")", "to close '('")
            return Expr(kind: inner.kind, span: token.span.to(close.span))
        case .symbol("["):
            var elements: [Expr] = []
            if !peekIs("]") {
                repeat {
                    if peekIs(",") { _ = advance() }
                    if peekIs("]") { break }
                    elements.append(try parseOr())
                } while peekIs(",")
            }
            let close = try expect("]", "to close the list")
            return Expr(kind: .list(elements), span: token.span.to(close.span))
        default:
            throw ExpressionError(message: "expected a value, found \(token.describe)", span: token.span)
        }
    }
}

extension Token {
    var describe: String {
        switch kind {
        case .identifier(let name): return "'\(name)'"
        case .literal: return "a literal"
        case .symbol(let symbol): return "'\(symbol)'"
        case .end: return "the end of the expression"
        }
    }
}
