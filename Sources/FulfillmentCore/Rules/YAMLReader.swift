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
        return mapping(node, "the file")
    }

    private mutating func reportSyntax(_ error: YamlError) {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) (\($0.text))" } ?? problem
            sink.error("YAML syntax: \(detail)", at: withinFile(line: mark.line, column: mark.column))
        case .duplicatedKeysInMapping(let duplicates, let context):
            sink.error(
                "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in a mapping",
                at: SourcePosition(line: context.mark.line, column: context.mark.column))
        case .reader(let problem, _, _, _):
            sink.error("YAML syntax: \(problem)", at: SourcePosition(line: 1, column: 1))
        default:
            sink.error("YAML syntax: \(error)", at: SourcePosition(line: 1, column: 1))
        }
    }

    /// libyaml places an error found at the end of a file without a final line break on the
    /// line after the last; point at the end of the last line instead, where an editor can go.
    private func withinFile(line: Int, column: Int) -> SourcePosition {
        let lines = source.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        guard line > lines.count, let last = lines.last else { return SourcePosition(line: line, column: column) }
        return SourcePosition(line: lines.count, column: last.unicodeScalars.count + 1)
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

    mutating func scalar(_ node: Node, _ what: String) -> String? {
        guard let scalar = node.scalar else {
            sink.error("\(what) must be a single value", at: position(node))
            return nil
        }
        return scalar.string
    }

    mutating func int(_ node: Node, _ what: String, min: Int = 0) -> Int? {
        guard let text = scalar(node, what) else { return nil }
        guard let value = Int(text), value >= min else {
            sink.error("\(what) must be a whole number of at least \(min), got '\(text)'", at: position(node))
            return nil
        }
        return value
    }

    mutating func double(_ node: Node, _ what: String, range: ClosedRange<Double>) -> Double? {
        guard let text = scalar(node, what) else { return nil }
        guard let value = Double(text), range.contains(value) else {
            sink.error(
                "\(what) must be a number from \(Value.decimalText(range.lowerBound)) to "
                    + "\(Value.decimalText(range.upperBound)), got '\(text)'", at: position(node))
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
