import Foundation
import FulfillmentCore

/// A Flxpoint API token. It prints as `<redacted>` everywhere so it cannot leak into
/// logs, errors or reports by string interpolation.
public struct FlxpointToken: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The secret itself; read only when building the `X-API-TOKEN` header.
    let secret: String

    public init(_ secret: String) {
        self.secret = secret.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public var isEmpty: Bool { secret.isEmpty }

    /// A name for this token's request budget where several processes share it: a hash, so
    /// the token itself is never stored.
    public var budgetKey: String {
        String(SHA256.hex(Array("source-agent rate budget\n\(secret)".utf8)).prefix(32))
    }

    /// Why text cannot be a token, without ever quoting it: a token is one line of visible
    /// ASCII (a trailing line break is fine). A second line or a control character would be
    /// refused by the HTTP client on every request, and its error would carry the header's
    /// value, token and all, into the log.
    public static func problem(_ raw: String) -> String? {
        var text = Substring(raw)
        while let last = text.last, last == "\n" || last == "\r\n" || last == "\r" || last == " " || last == "\t" {
            text = text.dropLast()
        }
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        if text.isEmpty { return "is empty" }
        if text.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            return "holds more than one line; it must hold the token alone on one line"
        }
        if text.utf8.count > 4096 { return "is over 4096 characters long; is it the token?" }
        if !text.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }) {
            return "holds a space, a control character or a non-ASCII character, which no token has"
        }
        return nil
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }

    /// Removes the secret from text that came back from a server, in case it was echoed.
    func scrub(_ text: String) -> String {
        secret.count >= 4 ? text.replacingOccurrences(of: secret, with: "<redacted>") : text
    }
}
