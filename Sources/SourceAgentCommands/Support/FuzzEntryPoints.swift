import AgentStorePostgres
import Foundation
import SourceAgentConsole

/// The readers of what a person or a file gives that the fuzz targets in `Fuzz/` drive
/// (libFuzzer supplies `main` there, so they link this library): each setting's value, the
/// console's users file, its URL-encoded and multipart forms. Thin doors onto the real readers,
/// nothing of their own.
public enum FuzzEntryPoints {
    /// Every setting key, as the config file spells it.
    public static let settingKeys = Settings.Key.allCases.map(\.rawValue)

    /// `Settings.problem` for the key spelled `key`: nil when `value` is accepted.
    public static func settingProblem(_ key: String, _ value: String) -> String? {
        Settings.Key(rawValue: key).flatMap { Settings.problem($0, value) }
    }

    /// The range a bounded setting accepts, checked again on an accepted value: nil when the
    /// key has no bound, else whether `value` is inside it.
    public static func withinBound(_ key: String, _ value: String) -> Bool? {
        guard let key = Settings.Key(rawValue: key), let bound = SettingBound.bySetting[key] else { return nil }
        switch bound {
        case .rate(let minimum, let maximum):
            guard let rate = Double(value) else { return false }
            return rate == 0 || (minimum...maximum).contains(rate)
        case .duration(let minimum, let maximum):
            return DurationArgument.seconds(value).map { (minimum...maximum).contains($0) } ?? false
        case .port(let allowsZero):
            return Int(value).map { ((allowsZero ? 0 : 1)...65_535).contains($0) } ?? false
        }
    }

    /// The users file read as `run` reads it: nil when accepted, else the refusal.
    public static func usersFileProblem(_ text: String) -> String? {
        if case .failure(let problem) = ConsoleUsers.parse(text, path: "users") { return problem.description }
        return nil
    }

    /// A URL-encoded form body's fields.
    public static func urlEncodedForm(_ body: String) -> [String] {
        ConsoleFormReading.urlEncoded(body) ?? []
    }

    /// A multipart body's text fields and file, or nil when it is not one.
    public static func multipartForm(contentType: String, body: [UInt8]) -> (fields: Int, file: String?)? {
        ConsoleForms.multipartBoundary(contentType).flatMap { ConsoleFormReading.multipart(boundary: $0, body: body) }
    }

    /// A `postgres://` URL read as `--database` reads it: its printable form, or the refusal.
    public static func postgresURL(_ text: String) -> Result<String, PostgresURLError> {
        do throws(PostgresURLError) {
            return .success(try PostgresURL(text).description)
        } catch {
            return .failure(error)
        }
    }
}
