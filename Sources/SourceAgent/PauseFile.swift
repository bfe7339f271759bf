import Foundation
import FulfillmentCore

/// The pause switch: a file beside the database. `pause`, `resume` and the web console set
/// it; the running agent reads it before every answer.
public enum PauseFile {
    /// The pause file could not be written or removed, and why.
    public struct Failed: Error, CustomStringConvertible {
        public var description: String
    }

    /// Creates the file, saying who paused and when.
    public static func pause(_ path: String, by actor: String, at now: Date = Date()) throws {
        let text = "paused at \(Timestamp.utcString(now)) by \(actor)\n"
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw Failed(description: "cannot create \(path)")
        }
    }

    public static func resume(_ path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            throw Failed(description: "cannot remove \(path): \(error.localizedDescription)")
        }
    }

    /// What the file says (who paused, when), or nil when not paused.
    public static func reason(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
