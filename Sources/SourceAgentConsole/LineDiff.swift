/// A line diff of two texts (a rule file's versions), as a person reads one: the changed
/// lines with a little context, `-` for removed, `+` for added.
enum LineDiff {
    /// One line of the diff.
    struct Line: Equatable {
        /// Kept, added or removed; the raw value is the diff's mark.
        enum Kind: String {
            case same = " "
            case removed = "-"
            case added = "+"
            case gap = "…"
        }
        let kind: Kind
        let text: String
    }

    /// Beyond this many line pairs the texts are shown as replaced whole: rule files are a few
    /// hundred lines, and the table below grows with the product of the two lengths.
    static let largestTable = 4_000_000

    /// The changed lines of `old` → `new` with `context` unchanged lines around each change;
    /// empty when the texts are the same.
    static func lines(_ old: String, _ new: String, context: Int = 2) -> [Line] {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if a == b { return [] }
        let full = script(a, b)
        // Keep changes and the context around them; a run of unchanged lines between becomes a gap.
        var keep = [Bool](repeating: false, count: full.count)
        for (index, line) in full.enumerated() where line.kind != .same {
            for near in max(0, index - context)...min(full.count - 1, index + context) { keep[near] = true }
        }
        var out: [Line] = []
        for (index, line) in full.enumerated() {
            if keep[index] {
                out.append(line)
            } else if out.last?.kind != .gap {
                out.append(Line(kind: .gap, text: ""))
            }
        }
        return out
    }

    /// Every line, marked, by the longest common subsequence.
    private static func script(_ a: [String], _ b: [String]) -> [Line] {
        guard a.count * b.count <= largestTable else {
            return a.map { Line(kind: .removed, text: $0) } + b.map { Line(kind: .added, text: $0) }
        }
        let columns = b.count + 1
        // lengths[i * columns + j]: the common subsequence of a[i...] and b[j...].
        var lengths = [Int32](repeating: 0, count: (a.count + 1) * columns)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                lengths[i * columns + j] =
                    a[i] == b[j]
                    ? lengths[(i + 1) * columns + j + 1] + 1
                    : max(lengths[(i + 1) * columns + j], lengths[i * columns + j + 1])
            }
        }
        var out: [Line] = []
        var (i, j) = (0, 0)
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] {
                out.append(Line(kind: .same, text: a[i]))
                i += 1
                j += 1
            } else if j < b.count, i == a.count || lengths[i * columns + j + 1] > lengths[(i + 1) * columns + j] {
                // Added only when strictly better: on a tie the removal comes first, as diff prints it.
                out.append(Line(kind: .added, text: b[j]))
                j += 1
            } else {
                out.append(Line(kind: .removed, text: a[i]))
                i += 1
            }
        }
        return out
    }
}
