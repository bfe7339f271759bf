/// A `matches` pattern compiled to a Thompson NFA and run by simulating every state at once
/// (Pike's VM without captures): the work per subject scalar is bounded by the program's
/// size, so no pattern and no subject can make a match take more than
/// `instructions × scalars` steps. A backtracking engine (NSRegularExpression, ICU) can take
/// exponential time on `(a|a)*$` and a subject from an FR; this cannot.
public struct PatternProgram: Sendable {
    /// A program above this many instructions is refused at load: `(a{1,100}){1,100}`
    /// expands to tens of thousands, and each costs time on every scalar of every subject.
    public static let maxInstructions = 2_000

    /// One step of the compiled matcher.
    enum Instruction: Sendable {
        case scalar(Unicode.Scalar)
        case any
        case set(PatternSet)
        case assertion(PatternAssertion)
        /// Continue at both targets.
        case split(Int, Int)
        case jump(Int)
        case match
    }

    let instructions: [Instruction]
    let ignoreCase: Bool

    /// Parses and compiles; throws what to change when the pattern is unsupported or too large.
    public init(_ pattern: String) throws(PatternError) {
        var parser = PatternParser(pattern)
        let tree = try parser.parse()
        var builder = Builder(ignoreCase: parser.ignoreCase)
        try builder.emit(tree)
        builder.append(.match)
        instructions = builder.instructions
        ignoreCase = parser.ignoreCase
    }

    /// Whether the pattern matches anywhere in `text`.
    public func matches(_ text: String) -> Bool { run(text).matched }

    /// Instructions in the program: the most states a step can visit.
    public var size: Int { instructions.count }

    /// The answer and the states visited to reach it, which never exceed
    /// `size × (scalars + 1)`: the bound the tests and the fuzz target hold every pattern to.
    public func run(_ text: String) -> (matched: Bool, steps: Int) {
        let subject = Array(text.unicodeScalars)
        var run = Run(count: instructions.count)
        for position in 0...subject.count {
            // A thread starting here joins the ones carried over: the unanchored search of
            // `firstMatch`, still one pass over the subject.
            run.add(0, at: position, subject, self)
            if run.matched { break }
            guard position < subject.count else { break }
            let successors = run.advance(over: subject[position], self)
            run.generation += 1
            run.current.removeAll(keepingCapacity: true)
            for pc in successors { run.add(pc, at: position + 1, subject, self) }
            if run.matched { break }
        }
        return (run.matched, run.steps)
    }

    /// The live states between two scalars, with a generation stamp so that adding a state
    /// twice at one position is a no-op (which also ends loops whose body matches nothing).
    private struct Run {
        var current: [Int] = []
        var seen: [Int]
        var generation = 1
        var matched = false
        var stack: [Int] = []
        var steps = 0

        init(count: Int) { seen = Array(repeating: 0, count: count) }

        /// Follows jumps, splits and assertions from `pc` at `position`, adding the states that
        /// consume a scalar to `current`.
        mutating func add(_ pc: Int, at position: Int, _ subject: [Unicode.Scalar], _ program: PatternProgram) {
            stack.append(pc)
            while let pc = stack.popLast() {
                guard seen[pc] != generation else { continue }
                seen[pc] = generation
                steps += 1
                switch program.instructions[pc] {
                case .jump(let target): stack.append(target)
                case .split(let first, let second):
                    stack.append(second)
                    stack.append(first)
                case .assertion(let assertion):
                    if Self.holds(assertion, at: position, subject) { stack.append(pc + 1) }
                case .match: matched = true
                default: current.append(pc)
                }
            }
        }

        /// The states that accept `scalar`, each moved one instruction on.
        func advance(over scalar: Unicode.Scalar, _ program: PatternProgram) -> [Int] {
            let folded = program.ignoreCase ? PatternCase.fold(scalar) : scalar
            return current.compactMap { pc in
                let accepts: Bool
                switch program.instructions[pc] {
                case .scalar(let expected): accepts = expected == folded
                case .any: accepts = scalar != "\n" && scalar != "\r"
                case .set(let set): accepts = set.contains(scalar, ignoringCase: program.ignoreCase)
                default: accepts = false
                }
                return accepts ? pc + 1 : nil
            }
        }

        static func holds(_ assertion: PatternAssertion, at position: Int, _ subject: [Unicode.Scalar]) -> Bool {
            switch assertion {
            case .start: return position == 0
            case .end: return position == subject.count
            case .endOrFinalBreak:
                return position == subject.count || (position == subject.count - 1 && subject[position] == "\n")
            case .wordBoundary(let wanted):
                let before = position > 0 && PatternSet.isMember(subject[position - 1], of: .word)
                let after = position < subject.count && PatternSet.isMember(subject[position], of: .word)
                return (before != after) == wanted
            }
        }
    }

    /// Emits instructions for a tree, refusing a program past `maxInstructions`.
    private struct Builder {
        /// Literals are folded here so that a run folds only the subject.
        let ignoreCase: Bool
        var instructions: [Instruction] = []

        @discardableResult
        mutating func append(_ instruction: Instruction) -> Int {
            instructions.append(instruction)
            return instructions.count - 1
        }

        mutating func emit(_ node: PatternNode) throws(PatternError) {
            guard instructions.count <= PatternProgram.maxInstructions else {
                throw PatternError(
                    message: "the pattern is too large: its repeats expand past \(PatternProgram.maxInstructions) "
                        + "steps; use smaller repeat counts", offset: 1)
            }
            switch node {
            case .empty: break
            case .scalar(let scalar): append(.scalar(ignoreCase ? PatternCase.fold(scalar) : scalar))
            case .any: append(.any)
            case .set(let set): append(.set(set))
            case .assertion(let assertion): append(.assertion(assertion))
            case .concat(let items): for item in items { try emit(item) }
            case .alternation(let branches):
                // split L1, next; L1: branch; jump end; next: split L2, … ; last branch
                var jumps: [Int] = []
                for (offset, branch) in branches.enumerated() {
                    if offset == branches.count - 1 {
                        try emit(branch)
                    } else {
                        let split = append(.split(0, 0))
                        try emit(branch)
                        jumps.append(append(.jump(0)))
                        instructions[split] = .split(split + 1, instructions.count)
                    }
                }
                for jump in jumps { instructions[jump] = .jump(instructions.count) }
            case .repeating(let body, let min, let max):
                for _ in 0..<min { try emit(body) }
                if let max {
                    // Each optional copy: split body, end — nested so that all skip to the end.
                    var splits: [Int] = []
                    for _ in min..<max {
                        splits.append(append(.split(0, 0)))
                        try emit(body)
                    }
                    for split in splits { instructions[split] = .split(split + 1, instructions.count) }
                } else {
                    // loop: split body, end; body; jump loop
                    let loop = append(.split(0, 0))
                    try emit(body)
                    append(.jump(loop))
                    instructions[loop] = .split(loop + 1, instructions.count)
                }
            }
            guard instructions.count <= PatternProgram.maxInstructions else {
                throw PatternError(
                    message: "the pattern is too large: its repeats expand past \(PatternProgram.maxInstructions) "
                        + "steps; use smaller repeat counts", offset: 1)
            }
        }
    }
}
