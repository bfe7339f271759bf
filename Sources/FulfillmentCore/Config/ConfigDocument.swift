// Config: reading the config file's YAML into positioned entries, for `path:line:col` errors.

import Foundation
import Yams

/// The `--config` file read as YAML: a `version:` line, flat `key: value` lines and an
/// optional `sources:` list of such mappings, each value with its `path:line:col`. Composed,
/// never constructed, after `YAMLSafety` has refused anchors, aliases, tags and deep nesting,
/// so a hostile file costs nothing to refuse. Which keys exist and what their values mean is
/// the command layer's (`Settings`); this says only what the file holds, or where it is
/// malformed. Pure, so the fuzz target reads files exactly as the agent does.
public struct ConfigDocument: Sendable, Equatable {
    /// The format this reader understands.
    public static let version = 1

    /// One value as written, with where it stands.
    public struct Entry: Sendable, Equatable {
        /// The key, as written.
        public var key: String
        /// The value as text; the caller checks its type.
        public var value: String
        /// `path:line:col` of the value.
        public var position: String
    }

    /// One `sources:` item.
    public struct Source: Sendable, Equatable {
        /// `path:line:col` of the item.
        public var position: String
        /// Every entry, in file order.
        public var entries: [Entry]
    }

    /// The top-level values but `version` and `sources`, in file order.
    public var entries: [Entry]
    /// The `sources:` list; nil when the file has none.
    public var sources: [Source]?

    /// Why the file cannot be read, at `path:line:col` (or `path`).
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        /// `path:line:col` of the problem.
        public var position: String
        /// What is wrong.
        public var message: String
        /// The text shown in messages and logs.
        public var description: String { "\(position): error: \(message)" }
    }

    /// Reads `text`. Relative values of keys in `pathKeys` are made relative to the file's
    /// folder, as a person editing the file expects.
    public static func parse(_ text: String, path: String, pathKeys: Set<String>) throws(Problem) -> ConfigDocument {
        let at = Locator(path: path, source: text).position
        if let found = YAMLSafety.problem(in: text) {
            throw Problem(position: "\(path):\(found.line):\(found.column)", message: found.message)
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            let problem = YAMLSafety.describe(error, in: text)
            throw Problem(position: "\(path):\(problem.line):\(problem.column)", message: problem.message)
        }
        guard case .mapping(let document)? = root else {
            throw Problem(position: path, message: "expected 'key: value' lines")
        }
        if let (long, length) = YAMLSafety.longScalar(in: .mapping(document)) {
            throw Problem(position: at(long), message: YAMLSafety.tooLong(long, length: length))
        }
        // A file without `version:` may be meant for another program, or a later format.
        guard let versionNode = document.first(where: { $0.key.scalar?.string == "version" })?.value else {
            throw Problem(position: "\(path):1:1", message: "the config file needs a 'version: 1' line")
        }
        let versionText = versionNode.scalar?.string ?? ""
        guard let version = Int(versionText), version >= 1 else {
            throw Problem(
                position: at(versionNode), message: "version must be a whole number, got \(Quote.short(versionText))")
        }
        guard version <= Self.version else {
            throw Problem(
                position: at(versionNode),
                message: "config version \(version) is newer than this source-agent understands (\(Self.version))")
        }
        var entries: [Entry] = []
        var sources: [Source]?
        for (key, value) in document {
            switch key.scalar?.string {
            case "version": continue
            case "sources": sources = try Self.sources(value, at: at, path: path, pathKeys: pathKeys)
            default: entries.append(try Self.entry(key, value, at: at, path: path, pathKeys: pathKeys))
            }
        }
        return ConfigDocument(entries: entries, sources: sources)
    }

    /// The `sources:` list: a sequence of mappings of single values.
    private static func sources(_ node: Node, at: (Node) -> String, path: String, pathKeys: Set<String>)
        throws(Problem) -> [Source]
    {
        guard case .sequence(let items) = node else {
            throw Problem(position: at(node), message: "'sources' must be a list of '- name: …' entries")
        }
        var out: [Source] = []
        for item in items {
            guard case .mapping(let mapping) = item else {
                throw Problem(position: at(item), message: "each source must be a mapping such as '- name: retailer-a'")
            }
            var entries: [Entry] = []
            for (key, value) in mapping {
                entries.append(try entry(key, value, at: at, path: path, pathKeys: pathKeys))
            }
            out.append(Source(position: at(item), entries: entries))
        }
        return out
    }

    /// One `key: value` line: a single value, not YAML's null, at most a sane length.
    private static func entry(
        _ key: Node, _ value: Node, at: (Node) -> String, path: String, pathKeys: Set<String>
    ) throws(Problem) -> Entry {
        let position = value.mark == nil ? at(key) : at(value)
        guard let name = key.scalar?.string, case .scalar(let scalar) = value else {
            throw Problem(
                position: position,
                message: "\(Quote.short(key.scalar?.string ?? "?")) must be a single value, not a list or a mapping")
        }
        // `key: ~`, `key: null` or `key:` alone is YAML's "no value", which would otherwise be
        // read as the text `~` (a database file named `~`) or as empty. Quoted text is text.
        if scalar.style == .plain, Resolver.default.resolveTag(of: .scalar(scalar)) == .null {
            throw Problem(
                position: position,
                message: "\(Quote.short(name)) has no value (\(scalar.string.isEmpty ? "empty" : scalar.string)); "
                    + "give one, or leave the key out for the default")
        }
        guard scalar.string.utf8.count <= 4096 else {
            throw Problem(position: position, message: "\(Quote.short(name)) is longer than 4096 bytes")
        }
        var text = scalar.string
        if pathKeys.contains(name), !text.hasPrefix("/"), !text.isEmpty {
            let folder = (path as NSString).deletingLastPathComponent
            text = folder.isEmpty ? text : (folder as NSString).appendingPathComponent(text)
        }
        return Entry(key: name, value: text, position: position)
    }

    /// `path:line:col` of a node, kept inside the file: an empty value at the end of a file
    /// without a final line break is placed by libyaml on the line after the last.
    private struct Locator {
        let path: String
        let source: String

        func position(_ node: Node) -> String {
            guard let mark = node.mark else { return path }
            let (line, column) = YAMLSafety.withinFile(line: mark.line, column: mark.column, source)
            return "\(path):\(line):\(column)"
        }
    }
}
