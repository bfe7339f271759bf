import Foundation

/// Offsets (in Unicode scalars) of a piece of an expression's text.
struct Span: Sendable, Equatable {
    var start: Int
    var end: Int

    func to(_ other: Span) -> Span { Span(start: start, end: other.end) }
}

/// A literal written in a rule.
enum Literal: Sendable, Equatable {
    case bool(Bool)
    case int(Int)
    case decimal(Decimal)
    case string(String)
    case date(LocalDate)
    case time(Date)
    case duration(Double)
}

/// Binary operators, by their spelling in the rule language.
enum BinaryOp: String, Sendable, Equatable {
    case and, or
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessEqual = "<="
    case greater = ">"
    case greaterEqual = ">="
    case isIn = "in"
    case notIn = "not in"
    case contains
    case startsWith = "starts_with"
    case endsWith = "ends_with"
    case matches
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"

    var isComparison: Bool {
        switch self {
        case .and, .or, .add, .subtract, .multiply, .divide: return false
        default: return true
        }
    }
}

/// A parsed `when` expression or placeholder, before type checking.
struct Expr: Sendable, Equatable {
    indirect enum Kind: Sendable, Equatable {
        case literal(Literal)
        case path([String])
        case list([Expr])
        case not(Expr)
        case negate(Expr)
        case binary(BinaryOp, Expr, Expr)
        case call(String, [Expr])
    }

    var kind: Kind
    var span: Span
    /// Nodes on the longest path down from here; the parser refuses trees deeper than
    /// `maxDepth`, so checking, compiling and evaluating never recurse without bound.
    let depth: Int

    static let maxDepth = 100

    init(kind: Kind, span: Span) {
        self.kind = kind
        self.span = span
        switch kind {
        case .literal, .path: depth = 1
        case .not(let inner), .negate(let inner): depth = inner.depth + 1
        case .binary(_, let lhs, let rhs): depth = max(lhs.depth, rhs.depth) + 1
        case .list(let items), .call(_, let items): depth = (items.map(\.depth).max() ?? 0) + 1
        }
    }

    static func == (a: Expr, b: Expr) -> Bool { a.kind == b.kind && a.span == b.span }

    /// A normalised rendering that ignores spacing, quoting and spelling (`&&` vs `and`),
    /// used to compare conditions for shadowing.
    var canonical: String {
        switch kind {
        case .literal(let literal):
            switch literal {
            case .bool(let b): return String(b)
            case .int(let i): return String(i)
            case .decimal(let d): return Value.decimalText(d)
            case .string(let s): return "'\(s)'"
            case .date(let d): return d.description
            case .time(let t): return Timestamp.utcString(t)
            case .duration(let s): return "\(s)s"
            }
        case .path(let parts): return parts.joined(separator: ".")
        case .list(let elements): return "[" + elements.map(\.canonical).joined(separator: ", ") + "]"
        case .not(let inner): return "not (\(inner.canonical))"
        case .negate(let inner): return "-(\(inner.canonical))"
        case .binary(let op, let lhs, let rhs): return "(\(lhs.canonical) \(op.rawValue) \(rhs.canonical))"
        case .call(let name, let args): return "\(name)(" + args.map(\.canonical).joined(separator: ", ") + ")"
        }
    }

    /// The operands of a chain of `and` (or just this expression).
    var conjuncts: [Expr] {
        if case .binary(.and, let lhs, let rhs) = kind { return lhs.conjuncts + rhs.conjuncts }
        return [self]
    }

    /// The operands of a chain of `or` (or just this expression).
    var disjuncts: [Expr] {
        if case .binary(.or, let lhs, let rhs) = kind { return lhs.disjuncts + rhs.disjuncts }
        return [self]
    }

    /// Every fact or list path this expression mentions.
    var paths: [[String]] {
        switch kind {
        case .literal: return []
        case .path(let parts): return [parts]
        case .list(let elements): return elements.flatMap(\.paths)
        case .not(let inner), .negate(let inner): return inner.paths
        case .binary(_, let lhs, let rhs): return lhs.paths + rhs.paths
        case .call(_, let args): return args.flatMap(\.paths)
        }
    }
}
