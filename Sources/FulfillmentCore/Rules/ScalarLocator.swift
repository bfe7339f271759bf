import Yams

/// Maps an offset inside a YAML scalar's value back to a line and column of the file.
///
/// Yams marks where a node starts; for expressions we need the column of a token inside
/// the scalar. Plain and quoted scalars start at the mark (after the quote); block scalars
/// (`|`, `>`) start on the next line at its indentation. Line breaks inside the value are
/// one character in the value whether kept or folded, so walking source lines maps offsets.
struct ScalarLocator {
    private let lines: [[Unicode.Scalar]]

    init(source: String) {
        lines = source.split(separator: "\n", omittingEmptySubsequences: false).map {
            Array($0.unicodeScalars.filter { $0 != "\r" })
        }
    }

    func position(of node: Node) -> SourcePosition {
        guard let mark = node.mark else { return .unknown }
        return SourcePosition(line: mark.line, column: mark.column)
    }

    func position(in scalar: Node.Scalar, offset: Int) -> SourcePosition {
        guard let mark = scalar.mark else { return .unknown }
        var line = mark.line
        var column = mark.column
        switch scalar.style {
        case .singleQuoted, .doubleQuoted:
            column += 1
        case .literal, .folded:
            line += 1
            column = indentation(of: line) + 1
        default:
            break
        }
        var remaining = offset
        while line <= lines.count {
            let length = max(0, lines[line - 1].count - (column - 1))
            if remaining <= length { return SourcePosition(line: line, column: column + remaining) }
            remaining -= length + 1
            line += 1
            column = indentation(of: line) + 1
        }
        return SourcePosition(line: mark.line, column: mark.column)
    }

    private func indentation(of line: Int) -> Int {
        guard line >= 1, line <= lines.count else { return 0 }
        return lines[line - 1].prefix { $0 == " " || $0 == "\t" }.count
    }
}
