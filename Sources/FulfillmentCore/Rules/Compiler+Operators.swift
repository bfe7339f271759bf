import Foundation
import Synchronization

extension Compiler {
    mutating func comparison(
        _ op: BinaryOp, _ left: Compiled, _ right: Compiled, _ text: String, _ span: Span, _ rhsSpan: Span
    ) -> Compiled? {
        let l = left.eval
        let r = right.eval
        let label = op.rawValue
        func traced(_ test: @escaping @Sendable (Value, Value, EvalFrame) -> Bool) -> Compiled {
            Compiled(type: .bool, text: text) { frame in
                let a = l(frame)
                let b = r(frame)
                let result = test(a, b, frame)
                frame.record("\(left.show(a, frame.zone)) \(label) \(right.show(b, frame.zone))", result)
                return .bool(result)
            }
        }
        switch op {
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            guard left.type.comparable(with: right.type) else {
                return fail("cannot compare \(left.type) '\(left.text)' with \(right.type) '\(right.text)'", span)
            }
            let ordered = op != .equal && op != .notEqual
            if ordered, [.bool, .item].contains(left.type) || { if case .list = left.type { true } else { false } }() {
                return fail("'\(label)' orders numbers, strings, times, dates and durations, not \(left.type)", span)
            }
            let accept: @Sendable (Int) -> Bool
            switch op {
            case .equal: accept = { $0 == 0 }
            case .notEqual: accept = { $0 != 0 }
            case .less: accept = { $0 < 0 }
            case .lessEqual: accept = { $0 <= 0 }
            case .greater: accept = { $0 > 0 }
            default: accept = { $0 >= 0 }
            }
            return traced { a, b, frame in Self.order(a, b, frame.zone).map(accept) ?? false }
        case .isIn, .notIn:
            guard case .list(let element) = right.type else {
                return fail("'\(label)' needs a list on its right, but '\(right.text)' is a \(right.type)", rhsSpan)
            }
            guard left.type.comparable(with: element) else {
                return fail("cannot look for \(left.type) '\(left.text)' in \(right.type) '\(right.text)'", span)
            }
            let wanted = op == .isIn
            if case .list(let values)? = right.constant, element == .string {
                let set = Set(values.compactMap { if case .string(let s) = $0 { s } else { nil } })
                return traced { a, _, _ in
                    guard case .string(let s) = a else { return false }
                    return set.contains(s) == wanted
                }
            }
            return traced { a, b, frame in
                guard a != .missing, case .list(let values) = b else { return false }
                return values.contains { Self.order(a, $0, frame.zone) == 0 } == wanted
            }
        case .contains:
            if case .list(let element) = left.type {
                guard element.comparable(with: right.type) else {
                    return fail("cannot look for \(right.type) '\(right.text)' in \(left.type) '\(left.text)'", span)
                }
                return traced { a, b, frame in
                    guard b != .missing, case .list(let values) = a else { return false }
                    return values.contains { Self.order(b, $0, frame.zone) == 0 }
                }
            }
            return stringTest(op, left, right, span, traced) { $0.contains($1) }
        case .startsWith: return stringTest(op, left, right, span, traced) { $0.hasPrefix($1) }
        case .endsWith: return stringTest(op, left, right, span, traced) { $0.hasSuffix($1) }
        case .matches:
            guard left.type == .string else {
                return fail("'matches' needs a string on its left, but '\(left.text)' is a \(left.type)", span)
            }
            guard case .string(let pattern)? = right.constant, right.isLiteral else {
                return fail("'matches' needs a pattern written as a string literal", rhsSpan)
            }
            let regex: CompiledPattern
            do {
                regex = try CompiledPattern(pattern)
            } catch {
                return fail("bad regular expression \(right.text): \(error)", rhsSpan)
            }
            return traced { a, _, _ in
                guard case .string(let s) = a else { return false }
                return regex.matches(s)
            }
        default:
            return nil
        }
    }

    private mutating func stringTest(
        _ op: BinaryOp, _ left: Compiled, _ right: Compiled, _ span: Span,
        _ traced: (@escaping @Sendable (Value, Value, EvalFrame) -> Bool) -> Compiled,
        _ test: @escaping @Sendable (String, String) -> Bool
    ) -> Compiled? {
        guard left.type == .string, right.type == .string else {
            return fail(
                "'\(op.rawValue)' needs strings (or a list on the left of 'contains'), "
                    + "but got \(left.type) '\(left.text)' and \(right.type) '\(right.text)'", span)
        }
        return traced { a, b, _ in
            guard case .string(let s) = a, case .string(let t) = b else { return false }
            return test(s, t)
        }
    }

    /// -1, 0 or 1; nil when either side is missing or the values do not order.
    static func order(_ a: Value, _ b: Value, _ zone: TimeZone) -> Int? {
        func sign<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }
        switch (a, b) {
        case (.int(let x), .int(let y)): return sign(x, y)
        case (.string(let x), .string(let y)): return sign(x, y)
        case (.time(let x), .time(let y)): return sign(x, y)
        case (.date(let x), .date(let y)): return sign(x, y)
        case (.time(let x), .date(let y)): return sign(zone.localDate(of: x), y)
        case (.date(let x), .time(let y)): return sign(x, zone.localDate(of: y))
        case (.duration(let x), .duration(let y)): return sign(x, y)
        case (.bool(let x), .bool(let y)): return x == y ? 0 : (x ? 1 : -1)
        case (.list, .list), (.item, .item): return a == b ? 0 : 1
        default:
            if let x = a.number, let y = b.number { return sign(x, y) }
            return nil
        }
    }

    mutating func arithmetic(_ op: BinaryOp, _ left: Compiled, _ right: Compiled, _ text: String, _ span: Span)
        -> Compiled?
    {
        guard let type = Self.arithmeticType(op, left.type, right.type) else {
            return fail(
                "cannot apply '\(op.rawValue)' to \(left.type) '\(left.text)' and \(right.type) '\(right.text)'", span)
        }
        let l = left.eval
        let r = right.eval
        return Compiled(type: type, text: text) { frame in
            Self.apply(op, l(frame), r(frame), frame.zone)
        }
    }

    static func arithmeticType(_ op: BinaryOp, _ a: ValueType, _ b: ValueType) -> ValueType? {
        switch (op, a, b) {
        case (.divide, _, _) where a.isNumeric && b.isNumeric: return .decimal
        case (_, .int, .int): return .int
        case (_, _, _) where a.isNumeric && b.isNumeric: return .decimal
        case (.add, .string, .string): return .string
        case (.subtract, _, _) where a.isTemporal && b.isTemporal: return .duration
        case (.add, .time, .duration), (.subtract, .time, .duration), (.add, .duration, .time): return .time
        case (.add, .date, .duration), (.subtract, .date, .duration), (.add, .duration, .date): return .date
        case (.add, .duration, .duration), (.subtract, .duration, .duration): return .duration
        case (.multiply, .duration, _) where b.isNumeric: return .duration
        case (.multiply, _, .duration) where a.isNumeric: return .duration
        case (.divide, .duration, _) where b.isNumeric: return .duration
        case (.divide, .duration, .duration): return .decimal
        default: return nil
        }
    }

    /// Runs an operator the type checker accepted; missing in, missing out. A duration or an
    /// instant beyond `Value.maxDuration` is missing too, like an integer overflow: a rule
    /// multiplying a huge number by `6s` must not trap when its result becomes a date or text.
    static func apply(_ op: BinaryOp, _ a: Value, _ b: Value, _ zone: TimeZone) -> Value {
        switch unbounded(op, a, b, zone) {
        case .duration(let d) where !(abs(d) <= Value.maxDuration): .missing
        case .time(let t) where !(abs(t.timeIntervalSince1970) <= Value.maxDuration): .missing
        case let value: value
        }
    }

    private static func unbounded(_ op: BinaryOp, _ a: Value, _ b: Value, _ zone: TimeZone) -> Value {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            let result: (Int, Bool)
            switch op {
            case .add: result = x.addingReportingOverflow(y)
            case .subtract: result = x.subtractingReportingOverflow(y)
            case .multiply: result = x.multipliedReportingOverflow(by: y)
            default: return y == 0 ? .missing : .decimal(Decimal(x) / Decimal(y))
            }
            return result.1 ? .missing : .int(result.0)
        case (.string(let x), .string(let y)): return .string(x + y)
        case (.duration(let x), .duration(let y)):
            switch op {
            case .add: return .duration(x + y)
            case .subtract: return .duration(x - y)
            default: return y == 0 ? .missing : .decimal(Decimal(x / y))
            }
        case (.time(let t), .duration(let d)): return .time(t.addingTimeInterval(op == .add ? d : -d))
        case (.duration(let d), .time(let t)): return .time(t.addingTimeInterval(d))
        case (.date(let day), .duration(let d)): return .date(day.adding(days: Int(d / 86400) * (op == .add ? 1 : -1)))
        case (.duration(let d), .date(let day)): return .date(day.adding(days: Int(d / 86400)))
        case (.duration(let d), _) where b.number != nil:
            guard let n = b.number.map(Self.double) else { return .missing }
            if op == .divide { return n == 0 ? .missing : .duration(d / n) }
            return .duration(d * n)
        case (_, .duration(let d)) where a.number != nil: return .duration(d * Self.double(a.number ?? 0))
        default:
            if let x = instant(a, zone), let y = instant(b, zone) { return .duration(x.timeIntervalSince(y)) }
            guard let x = a.number, let y = b.number else { return .missing }
            switch op {
            case .add: return .decimal(x + y)
            case .subtract: return .decimal(x - y)
            case .multiply: return .decimal(x * y)
            default: return y == 0 ? .missing : .decimal(x / y)
            }
        }
    }

    static func double(_ d: Decimal) -> Double { NSDecimalNumber(decimal: d).doubleValue }

    /// A time, or a date as its local midnight in the warehouse zone.
    private static func instant(_ value: Value, _ zone: TimeZone) -> Date? {
        switch value {
        case .time(let t): return t
        case .date(let d): return zone.instant(on: d, minute: 0)
        default: return nil
        }
    }
}

/// A regular expression compiled once at load into a `PatternProgram`, which runs in time
/// linear in its subject whatever the pattern: a rule author's `(a|a)*$` and a hostile city
/// name cannot stall a cycle.
final class CompiledPattern: Sendable {
    private let program: PatternProgram
    /// Answers for short subjects: postal codes, carriers and methods repeat across FRs, and
    /// a lookup costs a fraction of running the expression.
    private let recent = Mutex<[String: Bool]>([:])
    private static let memoSubjectBytes = 32
    private static let memoEntries = 4096

    init(_ pattern: String) throws(PatternError) { program = try PatternProgram(pattern) }

    /// Subjects are matched on their first this-many characters: names and address lines
    /// are customer text, and no rule needs more.
    static let subjectLimit = 1_000

    func matches(_ text: String) -> Bool {
        let short = text.utf8.count <= Self.memoSubjectBytes
        if short, let known = recent.withLock({ $0[text] }) { return known }
        let subject =
            text.utf8.count > Self.subjectLimit && text.count > Self.subjectLimit
            ? String(text.prefix(Self.subjectLimit)) : text
        let matched = program.matches(subject)
        if short {
            recent.withLock {
                if $0.count >= Self.memoEntries { $0.removeAll(keepingCapacity: true) }
                $0[text] = matched
            }
        }
        return matched
    }
}
