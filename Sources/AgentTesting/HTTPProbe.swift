import AsyncHTTPClient
import NIOCore

/// A plain GET for checking endpoints such as `/healthz` and `/metrics` from tests.
public enum HTTPProbe {
    /// The status and body, or nil when nothing answered within two seconds.
    public static func get(_ url: String) async -> (status: Int, body: String)? {
        guard let response = try? await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(2)),
            let body = try? await response.body.collect(upTo: 1 << 20)
        else { return nil }
        return (Int(response.status.code), String(buffer: body))
    }
}
