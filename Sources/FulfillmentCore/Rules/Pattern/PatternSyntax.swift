// Pattern: the linear-time matcher behind `matches`.

/// A `matches` pattern parsed into a tree. The syntax is the common core of regular
/// expressions (literals, `.`, classes, `\d \w \s`, anchors, groups, alternation, counted and
/// open repeats); what needs backtracking to run (backreferences, lookaround, possessive
/// repeats) is refused here, so that `PatternProgram` can run every accepted pattern in time
/// linear in its subject.
indirect enum PatternNode: Sendable, Equatable {
    case empty
    case scalar(Unicode.Scalar)
    /// Any scalar but a line break, as `.` reads in every common engine.
    case any
    case set(PatternSet)
    case assertion(PatternAssertion)
    case concat([PatternNode])
    case alternation([PatternNode])
    /// `node{min,max}`; `max` nil for an open repeat (`*`, `+`, `{2,}`).
    case repeating(PatternNode, min: Int, max: Int?)
}

/// A zero-width test between two scalars.
enum PatternAssertion: Sendable, Equatable {
    /// `^`, `\A`: the start of the subject.
    case start
    /// `$`, `\Z`: the end, or just before a final line break.
    case endOrFinalBreak
    /// `\z`: the very end.
    case end
    /// `\b` (true) and `\B` (false).
    case wordBoundary(Bool)
}

/// A character class: `[a-z0-9_]`, `[^,]`, `\d`, `\W`.
struct PatternSet: Sendable, Equatable {
    /// The named character classes a pattern may use.
    enum Named: Sendable, Equatable {
        case digit, word, space
    }

    var ranges: [ClosedRange<UInt32>] = []
    var named: [(class: Named, negated: Bool)] = []
    var negated = false

    static func == (a: PatternSet, b: PatternSet) -> Bool {
        a.ranges == b.ranges && a.negated == b.negated && a.named.map(\.class) == b.named.map(\.class)
            && a.named.map(\.negated) == b.named.map(\.negated)
    }

    static func named(_ named: Named, negated: Bool) -> PatternSet {
        PatternSet(named: [(named, negated)])
    }

    func contains(_ scalar: Unicode.Scalar, ignoringCase: Bool) -> Bool {
        var found = containsExactly(scalar)
        if !found, ignoringCase {
            found = PatternCase.variants(of: scalar).contains { containsExactly($0) }
        }
        return found != negated
    }

    private func containsExactly(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        for range in ranges where range.contains(value) { return true }
        for (named, negated) in named where Self.isMember(scalar, of: named) != negated { return true }
        return false
    }

    static func isMember(_ scalar: Unicode.Scalar, of named: Named) -> Bool {
        switch named {
        case .digit: return scalar.properties.numericType == .decimal
        case .space: return scalar.properties.isWhitespace
        case .word:
            return scalar == "_" || scalar.properties.isAlphabetic || scalar.properties.numericType == .decimal
                || scalar.properties.generalCategory == .nonspacingMark
                || scalar.properties.generalCategory == .spacingMark
                || scalar.properties.generalCategory == .connectorPunctuation
        }
    }
}

/// Simple one-scalar case folding for `(?i)`.
enum PatternCase {
    static func fold(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        let lower = scalar.properties.lowercaseMapping.unicodeScalars
        return lower.count == 1 ? lower.first! : scalar
    }

    /// The scalar's other single-scalar cases, for class membership.
    static func variants(of scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        [scalar.properties.lowercaseMapping, scalar.properties.uppercaseMapping].compactMap { mapping in
            let scalars = mapping.unicodeScalars
            return scalars.count == 1 && scalars.first! != scalar ? scalars.first! : nil
        }
    }
}

/// Why a pattern is refused, with the 1-based character where the problem is.
public struct PatternError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong with the pattern.
    public var message: String
    /// The 0-based character offset in the pattern where it went wrong.
    public var offset: Int

    /// The text shown in messages and logs.
    public var description: String { "\(message) (at character \(offset))" }
}
