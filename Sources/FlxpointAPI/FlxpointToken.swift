import Foundation

/// A Flxpoint API token. It prints as `<redacted>` everywhere so it cannot leak into
/// logs, errors or reports by string interpolation.
public struct FlxpointToken: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The secret itself; read only when building the `X-API-TOKEN` header.
    let secret: String

    public init(_ secret: String) {
        self.secret = secret.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public var isEmpty: Bool { secret.isEmpty }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }

    /// Removes the secret from text that came back from a server, in case it was echoed.
    func scrub(_ text: String) -> String {
        secret.count >= 4 ? text.replacingOccurrences(of: secret, with: "<redacted>") : text
    }
}
