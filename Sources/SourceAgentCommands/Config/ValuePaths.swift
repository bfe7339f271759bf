import AgentStorePostgres
import FlxpointAPI
import Foundation
import FulfillmentCore

/// The alert webhook's URL: http(s) with a host and a port in range. Refused with a reason
/// rather than failing on every alert later.
enum WebhookURL {
    static func problem(_ value: String) -> String? {
        let shown = Quote.short(RedactedURL.redactWebhook(value))
        guard let parsed = HTTPURL(value) else {
            return "alert_webhook must be an http:// or https:// URL with a host, got \(shown)"
        }
        if let port = parsed.badPort { return "alert_webhook \(shown) has port \(port); a port is from 1 to 65535" }
        return nil
    }

    /// A word for a webhook that carries a `user:password@` (no file setting exists for it, so
    /// it is accepted): where it goes and that it is never printed.
    static func note(_ value: String) -> String? {
        guard HTTPURL(value)?.hasCredentials == true else { return nil }
        return "alert_webhook carries a user name and password: they are sent to the webhook only, and every log "
            + "line, error and 'config show' prints the URL as \(RedactedURL.redactWebhook(value))"
    }
}

/// The database path, checked before anything opens or creates a file beside it: the
/// directory must exist, and an existing path must be a regular file. Each message names
/// the path and the real cause.
enum DatabasePath {
    /// What is wrong with the text itself, whatever the disk holds.
    static func problem(_ path: String) -> String? {
        if path.isEmpty { return "db is empty" }
        if PostgresURL.isPostgres(path) {
            do {
                _ = try PostgresURL(path)
                return nil
            } catch {
                return error.description
            }
        }
        if path.contains("\u{0}") { return "db path holds a NUL character" }
        if path == "~" || path.hasPrefix("~/") {
            return "db path \(Quote.short(path)) starts with '~', which only a shell expands; give the full path"
        }
        return nil
    }

    /// `problem`, then what the disk says: checked just before a command opens the database.
    static func fileProblem(_ path: String) -> String? {
        if let problem = problem(path) { return problem }
        if PostgresURL.isPostgres(path) { return nil }
        let shown = Quote.short(path)
        var info = stat()
        if stat(path, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFREG: break
            case S_IFDIR: return "db path \(shown) is a directory; name a file inside it, such as agent.sqlite"
            default: return "db path \(shown) is not a regular file (a device, socket or pipe)"
            }
            // Read-only commands (status, report) may run as a user who can only read it.
            return access(path, R_OK) == 0 ? nil : "db file \(shown) cannot be read by this user"
        }
        if errno != ENOENT { return "db path \(shown): \(String(cString: strerror(errno)))" }
        let folder = (path as NSString).deletingLastPathComponent
        let directory = folder.isEmpty ? "." : folder
        var folderInfo = stat()
        guard stat(directory, &folderInfo) == 0 else {
            return "db path \(shown): the directory \(Quote.short(directory)) does not exist"
        }
        guard folderInfo.st_mode & S_IFMT == S_IFDIR else {
            return "db path \(shown): \(Quote.short(directory)) is not a directory"
        }
        guard access(directory, W_OK | X_OK) == 0 else {
            return "db path \(shown): this user cannot create files in \(Quote.short(directory))"
        }
        return nil
    }
}
