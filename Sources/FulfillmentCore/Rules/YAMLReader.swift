import Yams

/// Reads a YAML file we own into nodes, turning every problem into a diagnostic.
struct YAMLReader {
    typealias Entry = (key: String, keyNode: Node, value: Node)

    let source: String
    let locator: ScalarLocator
    var sink: DiagnosticSink

    init(source: String, path: String) {
        self.source = source
        self.locator = ScalarLocator(source: source)
        self.sink = DiagnosticSink(path: path)
    }

    /// The root mapping, or nil after reporting why there is none.
    mutating func root() -> [Entry]? {
        if let found = YAMLSafety.problem(in: source) {
            sink.error(found.message, at: SourcePosition(line: found.line, column: found.column))
            return nil
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: source)
        } catch let error as YamlError {
            reportSyntax(error)
            return nil
        } catch {
            sink.error("cannot read YAML: \(error)", at: SourcePosition(line: 1, column: 1))
            return nil
        }
        guard let node else {
            sink.error("the file is empty", at: SourcePosition(line: 1, column: 1))
            return nil
        }
        if let (long, length) = YAMLSafety.longScalar(in: node) {
            sink.error(YAMLSafety.tooLong(long, length: length), at: position(long))
            return nil
        }
        return mapping(node, "the file")
    }

    private mutating func reportSyntax(_ error: YamlError) {
        let problem = YAMLSafety.describe(error, in: source)
        sink.error(problem.message, at: SourcePosition(line: problem.line, column: problem.column))
    }

    func position(_ node: Node) -> SourcePosition { locator.position(of: node) }

    mutating func mapping(_ node: Node, _ what: String) -> [Entry]? {
        guard let mapping = node.mapping else {
            sink.error("\(what) must be a mapping of 'key: value' lines", at: position(node))
            return nil
        }
        var entries: [Entry] = []
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                sink.error("keys must be plain names", at: position(key))
                continue
            }
            entries.append((name, key, value))
        }
        return entries
    }

    /// Reports keys outside `allowed`, with a suggestion.
    mutating func checkKeys(_ entries: [Entry], allowed: [String], in what: String) {
        for entry in entries where !allowed.contains(entry.key) {
            sink.error(
                "unknown key '\(entry.key)' in \(what)\(Suggest.hint(for: entry.key, in: allowed))",
                at: position(entry.keyNode))
        }
    }

    /// No value in a file we read needs more characters than this; longer ones are refused
    /// before any work (a suggestion for a 1 MB time zone compared it with every zone name).
    static let maxScalarCharacters = YAMLSafety.maxScalarCharacters

    mutating func scalar(_ node: Node, _ what: String, maxLength: Int = YAMLReader.maxScalarCharacters) -> String? {
        guard let scalar = node.scalar else {
            sink.error("\(what) must be a single value", at: position(node))
            return nil
        }
        guard scalar.string.utf8.count <= maxLength || scalar.string.count <= maxLength else {
            sink.error(
                "\(what) is \(scalar.string.count) characters long; at most \(maxLength): \(Quote.short(scalar.string))",
                at: position(node))
            return nil
        }
        return scalar.string
    }

    /// A whole number in `min...max`: every count in a rule file has a ceiling that makes
    /// sense for it, so no value can make a calendar walk run for minutes.
    mutating func int(_ node: Node, _ what: String, min: Int = 0, max: Int) -> Int? {
        guard let text = scalar(node, what, maxLength: 40) else { return nil }
        guard let value = Int(text), value >= min, value <= max else {
            sink.error(
                "\(what) must be a whole number from \(min) to \(max), got \(Quote.short(text))", at: position(node))
            return nil
        }
        return value
    }

    mutating func double(_ node: Node, _ what: String, range: ClosedRange<Double>) -> Double? {
        guard let text = scalar(node, what) else { return nil }
        guard let value = Double(text), range.contains(value) else {
            sink.error(
                "\(what) must be a number from \(Value.decimalText(range.lowerBound)) to "
                    + "\(Value.decimalText(range.upperBound)), got \(Quote.short(text))", at: position(node))
            return nil
        }
        return value
    }

    /// The scalars of a sequence (block or `[a, b]`), with their nodes.
    mutating func scalarList(_ node: Node, _ what: String) -> [(String, Node)]? {
        guard let sequence = node.sequence else {
            sink.error("\(what) must be a list such as [a, b]", at: position(node))
            return nil
        }
        var out: [(String, Node)] = []
        for element in sequence {
            guard let text = scalar(element, "each entry of \(what)") else { continue }
            out.append((text, element))
        }
        return out
    }
}
