import Foundation

/// A URL as it may be printed: the one redaction for every URL the agent prints or logs
/// (the API URL, the alert webhook, the database, console links). A `user:password@` part
/// becomes `***@`, every query value `***` (the names stay: `?sslmode=***&token=***`) and a
/// fragment `#***`; for a webhook the path after the host is `/***` too, since an incoming-
/// webhook URL's path is its secret. A credential written into a URL by mistake never reaches
/// a log, an error, `config show` or a report.
public enum RedactedURL {
    public static func redact(_ url: String) -> String { redact(url, path: false) }

    /// As `redact`, and the path after the host hidden too.
    public static func redactWebhook(_ url: String) -> String { redact(url, path: true) }

    private static func redact(_ url: String, path hidePath: Bool) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        var authority = String(rest[..<authorityEnd])
        if let at = authority.lastIndex(of: "@") { authority = "***" + authority[at...] }
        var tail = rest[authorityEnd...]
        var fragment = ""
        if let hash = tail.firstIndex(of: "#") {
            fragment = "#***"
            tail = tail[..<hash]
        }
        var query = ""
        if let mark = tail.firstIndex(of: "?") {
            let pairs = tail[tail.index(after: mark)...].split(separator: "&", omittingEmptySubsequences: false)
            query =
                "?"
                + pairs.map { pair in
                    guard let equals = pair.firstIndex(of: "=") else { return pair.isEmpty ? "" : "***" }
                    return pair[..<equals] + "=***"
                }.joined(separator: "&")
            tail = tail[..<mark]
        }
        let path = hidePath && !tail.isEmpty && tail != "/" ? "/***" : String(tail)
        return String(url[..<schemeEnd.upperBound]) + authority + path + query + fragment
    }
}

/// An http(s) URL read the one way both the API URL and the alert webhook are: at most
/// 2 KiB, no space or control character, a scheme and a host. Nil when it is not such a URL;
/// what else is wrong (a port out of range, credentials) the caller words for its setting.
public struct HTTPURL: Sendable {
    /// Lowercased.
    public var scheme: String
    /// Lowercased.
    public var host: String
    public var port: Int?
    /// A `user:password@` part is present.
    public var hasCredentials: Bool
    /// A `?…` query or `#…` fragment is present.
    public var hasQuery: Bool

    public init?(_ text: String) {
        guard text.utf8.count <= 2048, !text.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F }),
            let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            ["http", "https"].contains(scheme), let host = components.host?.lowercased(), !host.isEmpty
        else { return nil }
        self.scheme = scheme
        self.host = host
        port = components.port
        hasCredentials = components.user != nil || components.password != nil
        hasQuery = components.percentEncodedQuery != nil || components.percentEncodedFragment != nil
    }

    /// The port when it is outside 1–65535, else nil.
    public var badPort: Int? { port.flatMap { (1...65_535).contains($0) ? nil : $0 } }
}
