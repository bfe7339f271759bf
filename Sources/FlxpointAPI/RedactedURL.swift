import Foundation

/// A URL as it may be printed: a `user:password@` part becomes `***@`, so a credential
/// written into a URL by mistake never reaches a log, an error or a report.
public enum RedactedURL {
    public static func redact(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return url }
        return String(url[..<schemeEnd.upperBound]) + "***" + String(rest[at...])
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

    public init?(_ text: String) {
        guard text.utf8.count <= 2048, !text.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F }),
            let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            ["http", "https"].contains(scheme), let host = components.host?.lowercased(), !host.isEmpty
        else { return nil }
        self.scheme = scheme
        self.host = host
        port = components.port
        hasCredentials = components.user != nil || components.password != nil
    }

    /// The port when it is outside 1–65535, else nil.
    public var badPort: Int? { port.flatMap { (1...65_535).contains($0) ? nil : $0 } }
}
