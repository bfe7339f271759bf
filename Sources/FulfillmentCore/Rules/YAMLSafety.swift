import CYaml
import Yams

/// What is refused in the YAML files we read before libyaml parses them: flow collections
/// nested deeper than `maxFlowDepth` (libyaml takes time quadratic in that depth: 100,000
/// `[` take a minute), anchors and aliases (an alias can make a tiny file expand into
/// billions of nodes, a "billion laughs") and tags.
public enum YAMLSafety {
    /// Deepest nesting of `[` and `{` accepted.
    public static let maxFlowDepth = 100

    /// One refused construct and where it is.
    public struct Problem: Sendable, Equatable {
        /// 1-based, as in diagnostics.
        public var line: Int
        /// 1-based, counted in characters.
        public var column: Int
        /// What is refused and why, for the diagnostic.
        public var message: String
    }

    /// The first such problem in `text`, or nil (also when the text is not YAML: the parser
    /// that follows reports that).
    public static func problem(in text: String) -> Problem? {
        tooDeep(text) ?? firstAnchorOrAlias(text)
    }

    /// The longest value any file we read may hold, in characters: checked once over the whole
    /// parsed file, so no value (a rule's `when`, a note, a name, a config value) escapes it.
    public static let maxScalarCharacters = 10_000

    /// The first value in `node` longer than `maxScalarCharacters`, with its length.
    public static func longScalar(in node: Node) -> (node: Node, length: Int)? {
        switch node {
        case .scalar(let scalar):
            // Counting UTF-8 bytes first: a value within the limit in bytes is within it in characters.
            guard scalar.string.utf8.count > maxScalarCharacters else { return nil }
            let length = scalar.string.count
            return length > maxScalarCharacters ? (node, length) : nil
        case .mapping(let mapping):
            for (key, value) in mapping {
                if let found = longScalar(in: key) ?? longScalar(in: value) { return found }
            }
            return nil
        case .sequence(let sequence):
            for element in sequence {
                if let found = longScalar(in: element) { return found }
            }
            return nil
        case .alias:
            return nil
        }
    }

    /// The diagnostic for a value over the limit.
    public static func tooLong(_ node: Node, length: Int) -> String {
        "a value is \(length) characters long; at most \(maxScalarCharacters): \(Quote.short(node.scalar?.string ?? ""))"
    }

    /// Counts `[` and `{` that open a node (first on their line, or after `:`, `-`, `,`, `?`,
    /// `[` or `{`), skipping quoted scalars and comments.
    static func tooDeep(_ text: String) -> Problem? {
        var depth = 0
        var line = 1
        var column = 0
        var previous: Unicode.Scalar = "\n"  // the last non-blank character on this line
        var quote: Unicode.Scalar?
        var escaped = false
        var comment = false
        var blankBefore = true  // the character before is a blank or the line start
        for c in text.unicodeScalars {
            column += 1
            defer { blankBefore = c == " " || c == "\t" || c == "\n" }
            if c == "\n" {
                line += 1
                column = 0
                previous = "\n"
                comment = false
                escaped = false
                continue
            }
            if comment { continue }
            if let open = quote {
                if escaped {
                    escaped = false
                } else if c == "\\" && open == "\"" {
                    escaped = true
                } else if c == open {
                    quote = nil
                    previous = c
                }
                continue
            }
            let atNodeStart = "\n:-,?[{".unicodeScalars.contains(previous)
            switch c {
            case " ", "\t", "\r":
                continue
            case "#" where blankBefore:
                comment = true
                continue
            case "'" where atNodeStart, "\"" where atNodeStart:
                quote = c
            case "[" where atNodeStart, "{" where atNodeStart:
                depth += 1
                if depth > maxFlowDepth {
                    return Problem(
                        line: line, column: column,
                        message: "YAML nested deeper than \(maxFlowDepth) levels; write it flatter")
                }
            case "]", "}":
                depth = max(0, depth - 1)
            default:
                break
            }
            previous = c
        }
        return nil
    }

    /// libyaml's scanner reports anchors, aliases and tags as tokens without expanding or
    /// constructing anything.
    static func firstAnchorOrAlias(_ text: String) -> Problem? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer -> Problem? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var token = yaml_token_t()
            while yaml_parser_scan(&parser, &token) == 1 {
                let type = token.type
                let mark = token.start_mark
                yaml_token_delete(&token)
                switch type {
                case YAML_ANCHOR_TOKEN, YAML_ALIAS_TOKEN:
                    let what = type == YAML_ALIAS_TOKEN ? "aliases (*name)" : "anchors (&name)"
                    return Problem(
                        line: mark.line + 1, column: mark.column + 1,
                        message: "YAML \(what) are not supported; write the value out")
                case YAML_TAG_TOKEN:
                    // `!custom`, `!!python/object`: a tag asks a loader to build a type; ours
                    // never need one, and silently reading one as text would hide a mistake.
                    return Problem(
                        line: mark.line + 1, column: mark.column + 1,
                        message: "YAML tags (such as !name or !!type) are not supported; write the plain value")
                case YAML_STREAM_END_TOKEN:
                    return nil
                default:
                    continue
                }
            }
            return nil
        }
    }

    /// A Yams error as one short line with its position: never the file's text (a duplicate
    /// key's error would otherwise quote the whole mapping).
    public static func describe(_ error: any Error, in source: String) -> Problem {
        guard let error = error as? YamlError else {
            return Problem(line: 1, column: 1, message: "cannot read YAML")
        }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) (\($0.text))" } ?? problem
            let (line, column) = withinFile(line: mark.line, column: mark.column, source)
            return Problem(line: line, column: column, message: "YAML syntax: \(detail)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return Problem(
                line: context.mark.line, column: context.mark.column,
                message: "duplicate key \(duplicates.map { Quote.short($0) }.joined(separator: ", ")) in a mapping")
        case .reader(let problem, _, _, _):
            return Problem(line: 1, column: 1, message: "YAML syntax: \(problem)")
        default:
            return Problem(line: 1, column: 1, message: "YAML syntax error")
        }
    }

    /// libyaml places an error, or an empty node, found at the end of a file without a final
    /// line break on the line after the last; point at the end of the last line instead,
    /// where an editor can go.
    public static func withinFile(line: Int, column: Int, _ source: String) -> (Int, Int) {
        let lines = source.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        guard line > lines.count, let last = lines.last else { return (line, column) }
        return (lines.count, last.unicodeScalars.count + 1)
    }
}
