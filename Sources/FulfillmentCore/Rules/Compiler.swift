import Foundation

/// A type-checked expression ready to run.
struct Compiled: Sendable {
    let type: ValueType
    let eval: Eval
    /// Its source text, as the trace shows it.
    let text: String
    /// A literal (or a list of literals): the trace shows only its text.
    let isLiteral: Bool
    /// Set when the value is fixed at load time (literals, `lists.*`).
    let constant: Value?
    /// Set when this is a bare path, so `has()` and boolean facts can name it.
    let path: String?

    init(
        type: ValueType, text: String, isLiteral: Bool = false, constant: Value? = nil, path: String? = nil,
        eval: @escaping Eval
    ) {
        self.type = type
        self.eval = eval
        self.text = text
        self.isLiteral = isLiteral
        self.constant = constant
        self.path = path
    }

    /// `text value` for the trace, or just the text for a literal.
    func show(_ value: Value, _ zone: TimeZone) -> String {
        if isLiteral { return text }
        if case .list(let values) = value, values.count > 10 {
            let head = values.prefix(10).map { $0.rendered(in: zone) }.joined(separator: ", ")
            return "\(text) [\(head), … \(values.count - 10) more]"
        }
        return "\(text) \(value.rendered(in: zone))"
    }
}

/// Named lists from the rule file, with their element type.
struct RuleLists: Sendable {
    var values: [String: (type: ValueType, value: Value)] = [:]
}

/// Type-checks and compiles expressions, collecting errors with their spans.
struct Compiler {
    let source: [Unicode.Scalar]
    let lists: RuleLists
    private(set) var errors: [ExpressionError] = []
    /// Names of lists this expression referred to, for the unused-list warning.
    private(set) var usedLists: Set<String> = []
    private var scopes: [ValueType] = []

    init(source: String, lists: RuleLists) {
        self.source = Array(source.unicodeScalars)
        self.lists = lists
    }

    func text(_ span: Span) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: source[max(0, span.start)..<min(span.end, source.count)])
        return String(view)
    }

    mutating func fail(_ message: String, _ span: Span) -> Compiled? {
        errors.append(ExpressionError(message: message, span: span))
        return nil
    }

    /// Compiles an expression that must be true or false, recording bare boolean facts in the trace.
    mutating func condition(_ expr: Expr, role: String) -> Eval? {
        guard let compiled = compile(expr) else { return nil }
        guard compiled.type == .bool else {
            _ = fail("\(role) must be true or false, but this is a \(compiled.type)", expr.span)
            return nil
        }
        return Self.recordingBareFact(compiled)
    }

    /// A bool path read as a condition records itself (`address.valid = false`); other
    /// conditions (comparisons, calls) record their own checks.
    static func recordingBareFact(_ compiled: Compiled) -> Eval {
        guard compiled.path != nil else { return compiled.eval }
        let read = compiled.eval
        let text = compiled.text
        return { frame in
            let value = read(frame)
            frame.record(text, value.isTrue)
            return value
        }
    }

    /// Parses and compiles a whole expression, reporting syntax errors like type errors.
    mutating func parseAndCompile(_ text: String) -> Compiled? {
        do {
            return compile(try Parser.parse(text))
        } catch {
            return fail(error.message, error.span)
        }
    }

    mutating func compile(_ expr: Expr) -> Compiled? {
        let text = text(expr.span)
        switch expr.kind {
        case .literal(let literal):
            let value = Self.value(of: literal)
            return Compiled(type: Self.type(of: literal), text: text, isLiteral: true, constant: value) { _ in value }
        case .path(let parts):
            return path(parts, expr.span)
        case .list(let elements):
            return list(elements, text, expr.span)
        case .not(let inner):
            guard let operand = compile(inner) else { return nil }
            guard operand.type == .bool else {
                return fail("'not' needs true or false, but '\(operand.text)' is a \(operand.type)", inner.span)
            }
            let eval = Self.recordingBareFact(operand)
            return Compiled(type: .bool, text: text) { .bool(!eval($0).isTrue) }
        case .negate(let inner):
            guard let operand = compile(inner) else { return nil }
            let eval = operand.eval
            switch operand.type {
            case .int:
                return Compiled(type: .int, text: text) {
                    if case .int(let i) = eval($0) { .int(-i) } else { .missing }
                }
            case .decimal:
                return Compiled(type: .decimal, text: text) { eval($0).number.map { .decimal(-$0) } ?? .missing }
            case .duration:
                return Compiled(type: .duration, text: text) {
                    if case .duration(let d) = eval($0) { .duration(-d) } else { .missing }
                }
            default:
                return fail("'-' needs a number or a duration, but '\(operand.text)' is a \(operand.type)", inner.span)
            }
        case .binary(let op, let lhs, let rhs):
            if op == .and || op == .or { return logical(op, lhs, rhs, text) }
            guard let left = compile(lhs), let right = compile(rhs) else { return nil }
            if op.isComparison { return comparison(op, left, right, text, expr.span, rhs.span) }
            return arithmetic(op, left, right, text, expr.span)
        case .call(let name, let args):
            return call(name, args, text, expr.span)
        }
    }

    private mutating func logical(_ op: BinaryOp, _ lhs: Expr, _ rhs: Expr, _ text: String) -> Compiled? {
        let left = condition(lhs, role: "each side of '\(op.rawValue)'")
        let right = condition(rhs, role: "each side of '\(op.rawValue)'")
        guard let left, let right else { return nil }
        if op == .and {
            return Compiled(type: .bool, text: text) { .bool(left($0).isTrue && right($0).isTrue) }
        }
        return Compiled(type: .bool, text: text) { .bool(left($0).isTrue || right($0).isTrue) }
    }

    private mutating func path(_ parts: [String], _ span: Span) -> Compiled? {
        let name = parts.joined(separator: ".")
        if parts[0] == "item" {
            guard let scope = scopes.last else {
                return fail(
                    "'\(name)' is only defined inside any(), all(), none(), count() or sum() over a list", span)
            }
            if parts.count == 1 {
                return Compiled(type: scope, text: name, path: name) { $0.items.last ?? .missing }
            }
            guard scope == .item, parts.count == 2 else {
                return fail("'\(name)' is not defined: 'item' here is a \(scope)", span)
            }
            guard let field = FactCatalog.itemFields[parts[1]] else {
                let hint = Suggest.hint(for: name, in: FactCatalog.itemFields.keys.sorted().map { "item.\($0)" })
                return fail("unknown item field '\(name)'\(hint)", span)
            }
            return Compiled(type: field.type, text: name, path: name, eval: field.read)
        }
        if parts[0] == "lists" {
            guard parts.count == 2 else { return fail("name a list as lists.NAME", span) }
            guard let list = lists.values[parts[1]] else {
                let hint = Suggest.hint(for: name, in: lists.values.keys.sorted().map { "lists.\($0)" })
                return fail("unknown list '\(name)'\(hint)", span)
            }
            usedLists.insert(parts[1])
            let value = list.value
            return Compiled(type: list.type, text: name, constant: value, path: name) { _ in value }
        }
        guard let fact = FactCatalog.facts[name] else {
            var candidates = Array(FactCatalog.facts.keys) + lists.values.keys.map { "lists.\($0)" }
            if scopes.last == .item { candidates += FactCatalog.itemFields.keys.map { "item.\($0)" } }
            return fail("unknown fact '\(name)'\(Suggest.hint(for: name, in: candidates.sorted()))", span)
        }
        return Compiled(type: fact.type, text: name, path: name, eval: fact.read)
    }

    private mutating func list(_ elements: [Expr], _ text: String, _ span: Span) -> Compiled? {
        var compiled: [Compiled] = []
        for element in elements {
            guard let c = compile(element) else { return nil }
            compiled.append(c)
        }
        var elementType = ValueType.unknown
        for c in compiled {
            if elementType == .unknown {
                elementType = c.type
            } else if elementType != c.type {
                if elementType.isNumeric && c.type.isNumeric {
                    elementType = .decimal
                } else {
                    return fail("a list holds values of one type, but it mixes \(elementType) and \(c.type)", span)
                }
            }
        }
        let isLiteral = compiled.allSatisfy(\.isLiteral)
        if compiled.allSatisfy({ $0.constant != nil }) {
            let value = Value.list(compiled.compactMap(\.constant))
            return Compiled(type: .list(elementType), text: text, isLiteral: isLiteral, constant: value) { _ in value }
        }
        let evals = compiled.map(\.eval)
        return Compiled(type: .list(elementType), text: text, isLiteral: isLiteral) { frame in
            .list(evals.map { $0(frame) })
        }
    }

    static func value(of literal: Literal) -> Value {
        switch literal {
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .decimal(let d): return .decimal(d)
        case .string(let s): return .string(s)
        case .date(let d): return .date(d)
        case .time(let t): return .time(t)
        case .duration(let s): return .duration(s)
        }
    }

    static func type(of literal: Literal) -> ValueType {
        switch literal {
        case .bool: return .bool
        case .int: return .int
        case .decimal: return .decimal
        case .string: return .string
        case .date: return .date
        case .time: return .time
        case .duration: return .duration
        }
    }

    mutating func withScope<T>(_ type: ValueType, _ body: (inout Compiler) -> T) -> T {
        scopes.append(type)
        defer { scopes.removeLast() }
        return body(&self)
    }
}
