import Foundation
import FulfillmentCore

/// The `--config` file: `ConfigDocument` read from YAML, its keys checked against the
/// settings there are. Values are typed later, with the others, by `Settings.resolve`.
struct ConfigFile: Sendable {
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
        let document: ConfigDocument
        do {
            // A source's `token_file` and `rules` are paths by the same names.
            let paths = Set(Settings.Key.allCases.filter(\.isPath).map(\.rawValue))
            document = try ConfigDocument.parse(text, path: path, pathKeys: paths)
        } catch {
            throw Settings.Problem(origin: .file(error.position), message: error.message)
        }
        var values: [Settings.Key: Settings.Given] = [:]
        for entry in document.entries {
            guard let setting = Settings.Key(rawValue: entry.key) else {
                let known = ["version"] + Settings.Key.allCases.map(\.rawValue) + ["sources"]
                throw Settings.Problem(
                    origin: .file(entry.position),
                    message: "unknown key \(Quote.short(entry.key)); known keys: \(known.joined(separator: ", "))")
            }
            values[setting] = Settings.Given(value: entry.value, origin: .file(entry.position))
        }
        return ConfigFile(values: values, sources: try document.sources.map(SourceEntry.list))
    }
}
