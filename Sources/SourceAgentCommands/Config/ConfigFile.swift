import Foundation
import FulfillmentCore
import Yams

/// The `--config` file: flat `key: value` lines and an optional `sources:` list, composed but
/// never loaded, so anchors and aliases are refused before anything expands and a "billion
/// laughs" file costs nothing. Values are typed later, with the others, by `Settings.resolve`.
struct ConfigFile: Sendable {
    static let version = 1

    var values: [Settings.Key: Settings.Given]
    /// The `sources:` list; nil when the file has none (one source, `default`).
    var sources: [SourceEntry]? = nil

    static func read(_ path: String) throws -> ConfigFile {
        let text = try InputFiles.text(path, what: "config file")
        do {
            return try parse(text, path: path)
        } catch {
            Terminal.err(error.description)
            throw Exit.badInput
        }
    }

    static func parse(_ text: String, path: String) throws(Settings.Problem) -> ConfigFile {
        if let found = YAMLSafety.problem(in: text) {
            throw Settings.Problem(origin: .file("\(path):\(found.line):\(found.column)"), message: found.message)
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            let problem = YAMLSafety.describe(error, in: text)
            throw Settings.Problem(origin: .file("\(path):\(problem.line):\(problem.column)"), message: problem.message)
        }
        guard case .mapping(let document)? = root else {
            throw Settings.Problem(origin: .file(path), message: "expected 'key: value' lines")
        }
        var values: [Settings.Key: Settings.Given] = [:]
        var sources: [SourceEntry]?
        // A file without `version:` may be meant for another program, or a later format.
        guard document.keys.contains(where: { $0.scalar?.string == "version" }) else {
            throw Settings.Problem(
                origin: .file("\(path):1:1"), message: "the config file needs a 'version: 1' line")
        }
        for (key, value) in document {
            let position = (value.mark ?? key.mark).map { "\(path):\($0.line):\($0.column)" } ?? path
            if key.scalar?.string == "sources" {
                sources = try SourceEntry.list(value, path: path)
                continue
            }
            guard let name = key.scalar?.string, case .scalar(let scalar) = value else {
                throw Settings.Problem(
                    origin: .file(position),
                    message: "\(Quote.short(key.scalar?.string ?? "?")) must be a single value, not a list or a mapping")
            }
            if let problem = Self.nullProblem(name, scalar) { throw Settings.Problem(origin: .file(position), message: problem) }
            if name == "version" {
                guard let version = Int(scalar.string) else {
                    throw Settings.Problem(
                        origin: .file(position), message: "version must be a whole number, got \(Quote.short(scalar.string))")
                }
                guard version <= Self.version else {
                    throw Settings.Problem(
                        origin: .file(position),
                        message: "config version \(version) is newer than this source-agent understands (1)")
                }
                continue
            }
            guard let setting = Settings.Key(rawValue: name) else {
                let known = ["version"] + Settings.Key.allCases.map(\.rawValue) + ["sources"]
                throw Settings.Problem(
                    origin: .file(position),
                    message: "unknown key \(Quote.short(name)); known keys: \(known.joined(separator: ", "))")
            }
            var text = scalar.string
            // Paths in the file are relative to the file, not to wherever the command runs.
            if setting.isPath, !text.hasPrefix("/"), !text.isEmpty {
                let folder = (path as NSString).deletingLastPathComponent
                text = folder.isEmpty ? text : (folder as NSString).appendingPathComponent(text)
            }
            values[setting] = Settings.Given(value: text, origin: .file(position))
        }
        return ConfigFile(values: values, sources: sources)
    }

    /// `key: ~`, `key: null` or `key:` alone: YAML's "no value", which would otherwise be read
    /// as the text `~` (a database file named `~`) or as empty. Leave the key out instead.
    static func nullProblem(_ key: String, _ scalar: Node.Scalar) -> String? {
        // Quoted scalars carry the `str` tag; only a plain `~`, `null` or nothing means null.
        guard scalar.style == .plain, Resolver.default.resolveTag(of: .scalar(scalar)) == .null else { return nil }
        return "\(Quote.short(key)) has no value (\(scalar.string.isEmpty ? "empty" : scalar.string)); "
            + "give one, or leave the key out for the default"
    }
}
