import Foundation

extension Compiler {
    static let functionNames = ["any", "all", "none", "count", "sum", "lower", "upper", "len", "has"]

    mutating func call(_ name: String, _ args: [Expr], _ text: String, _ span: Span) -> Compiled? {
        switch name {
        case "any", "all", "none", "count", "sum": return quantifier(name, args, text, span)
        case "lower", "upper":
            guard let arg = single(name, args, span) else { return nil }
            guard arg.type == .string else {
                return fail("\(name)() needs a string, but '\(arg.text)' is a \(arg.type)", args[0].span)
            }
            let eval = arg.eval
            let upper = name == "upper"
            return Compiled(type: .string, text: text) { frame in
                guard case .string(let s) = eval(frame) else { return .missing }
                return .string(upper ? s.uppercased() : s.lowercased())
            }
        case "len":
            guard let arg = single(name, args, span) else { return nil }
            let eval = arg.eval
            switch arg.type {
            case .string, .list:
                return Compiled(type: .int, text: text) { frame in
                    switch eval(frame) {
                    case .string(let s): return .int(s.count)
                    case .list(let values): return .int(values.count)
                    default: return .missing
                    }
                }
            default: return fail("len() needs a string or a list, but '\(arg.text)' is a \(arg.type)", args[0].span)
            }
        case "has":
            guard let arg = single(name, args, span) else { return nil }
            guard arg.path != nil else { return fail("has() takes a fact name, such as has(fr.ship_by)", args[0].span) }
            let eval = arg.eval
            return Compiled(type: .bool, text: text) { frame in
                let present = eval(frame) != .missing
                frame.record(text, present)
                return .bool(present)
            }
        default:
            return fail("unknown function '\(name)'\(Suggest.hint(for: name, in: Self.functionNames))", span)
        }
    }

    private mutating func single(_ name: String, _ args: [Expr], _ span: Span) -> Compiled? {
        guard args.count == 1 else { return fail("\(name)() takes 1 argument, got \(args.count)", span) }
        return compile(args[0])
    }

    private mutating func quantifier(_ name: String, _ args: [Expr], _ text: String, _ span: Span) -> Compiled? {
        guard args.count == 2 else {
            return fail(
                "\(name)() takes a list and \(name == "sum" ? "an expression" : "a condition"), got \(args.count) arguments",
                span)
        }
        guard let list = compile(args[0]) else { return nil }
        guard case .list(let element) = list.type else {
            return fail("\(name)() needs a list first, but '\(list.text)' is a \(list.type)", args[0].span)
        }
        let body = withScope(element) { compiler in compiler.compile(args[1]) }
        guard let body else { return nil }
        let listEval = list.eval
        let bodyEval = body.eval
        if name == "sum" {
            guard body.type.isNumeric || body.type == .duration else {
                return fail("sum() adds numbers or durations, but '\(body.text)' is a \(body.type)", args[1].span)
            }
            let type = body.type
            return Compiled(type: type, text: text) { frame in
                guard case .list(let values) = listEval(frame) else { return .missing }
                var total: Value = type == .duration ? .duration(0) : (type == .int ? .int(0) : .decimal(0))
                frame.quiet += 1
                for value in values {
                    frame.items.append(value)
                    let term = bodyEval(frame)
                    frame.items.removeLast()
                    if term != .missing { total = Self.apply(.add, total, term, frame.zone) }
                }
                frame.quiet -= 1
                return total
            }
        }
        guard body.type == .bool else {
            return fail("\(name)() needs a condition, but '\(body.text)' is a \(body.type)", args[1].span)
        }
        let describe: @Sendable (Value, EvalFrame) -> String = { value, frame in
            guard case .item(let index) = value else { return value.rendered(in: frame.zone) }
            let sku = frame.fr.items[index].sku.map { " \($0)" } ?? ""
            return "line \(index + 1)\(sku)"
        }
        return Compiled(type: name == "count" ? .int : .bool, text: text) { frame in
            guard case .list(let values) = listEval(frame) else {
                return name == "count" ? .int(0) : .bool(name != "any")
            }
            frame.quiet += 1
            var matching: [Value] = []
            var failing: [Value] = []
            for value in values {
                frame.items.append(value)
                let hit = bodyEval(frame).isTrue
                frame.items.removeLast()
                if hit { matching.append(value) } else { failing.append(value) }
                if name != "count", hit == (name != "all") { break }
            }
            frame.quiet -= 1
            let result: Value
            let witness: [Value]
            switch name {
            case "any":
                result = .bool(!matching.isEmpty)
                witness = matching
            case "all":
                result = .bool(failing.isEmpty)
                witness = failing
            case "none":
                result = .bool(matching.isEmpty)
                witness = matching
            default:
                result = .int(matching.count)
                witness = []
            }
            if case .bool(let b) = result {
                let why = witness.first.map { " (\(describe($0, frame)))" } ?? ""
                frame.record("\(text)\(why)", b)
            }
            return result
        }
    }
}
