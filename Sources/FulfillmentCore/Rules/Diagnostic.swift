/// A problem found in a user's file, reported as `path:line:col: error: message`.
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible, Codable {
    /// An error stops the file loading; a warning does not.
    public enum Severity: String, Sendable, Codable { case error, warning }

    /// Error or warning.
    public var severity: Severity
    /// What is wrong and, where it helps, what to write instead.
    public var message: String
    /// The file, as the user named it.
    public var path: String
    /// 1-based; 0 when the problem concerns the whole file.
    public var line: Int
    /// 1-based, counted in characters.
    public var column: Int

    /// A `Diagnostic` from its parts.
    public init(_ severity: Severity, _ message: String, path: String, line: Int, column: Int) {
        self.severity = severity
        self.message = message
        self.path = path
        self.line = line
        self.column = column
    }

    /// The text shown in messages and logs.
    public var description: String {
        line > 0
            ? "\(path):\(line):\(column): \(severity.rawValue): \(message)"
            : "\(path): \(severity.rawValue): \(message)"
    }
}

/// A line and column inside the file being checked.
public struct SourcePosition: Sendable, Equatable, Hashable {
    /// 1-based line.
    public var line: Int
    /// 1-based column, counted in characters.
    public var column: Int

    /// A `SourcePosition` from its parts.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    static let unknown = SourcePosition(line: 0, column: 0)
}

/// Collects diagnostics for one file.
struct DiagnosticSink {
    let path: String
    private(set) var diagnostics: [Diagnostic] = []

    init(path: String) { self.path = path }

    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    mutating func error(_ message: String, at position: SourcePosition) {
        diagnostics.append(Diagnostic(.error, message, path: path, line: position.line, column: position.column))
    }

    mutating func warning(_ message: String, at position: SourcePosition) {
        diagnostics.append(Diagnostic(.warning, message, path: path, line: position.line, column: position.column))
    }

    mutating func sort() {
        diagnostics.sort { ($0.line, $0.column) < ($1.line, $1.column) }
    }
}

/// "Did you mean" suggestions by edit distance.
enum Suggest {
    /// The closest candidate within a distance that still reads as a typo, if any.
    static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        let limit = max(2, word.count / 3)
        // Ties go to the candidate that starts like the word: people mistype the middle more than the start.
        var best: (candidate: String, score: (Int, Int))?
        for candidate in candidates {
            let distance = editDistance(word.lowercased(), candidate.lowercased())
            let sameStart = candidate.first?.lowercased() == word.first?.lowercased() ? 0 : 1
            let score = (distance, sameStart)
            if distance <= limit, best == nil || score < best!.score { best = (candidate, score) }
        }
        return best?.candidate
    }

    /// `; did you mean 'x'?` or an empty string.
    static func hint(for word: String, in candidates: some Sequence<String>) -> String {
        closest(to: word, in: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
