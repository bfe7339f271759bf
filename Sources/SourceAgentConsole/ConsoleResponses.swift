import HTTPTypes
import Hummingbird
import NIOCore

/// The console's responses: every one with its security headers.
enum ConsoleResponses {
    /// No script, no frames, no outside resources, forms only to the console, nothing cached.
    /// The referrer goes to the console's own pages only, so a form's `Origin` is its real one
    /// (with `no-referrer` a browser sends `Origin: null`, and `CSRFGuard` could not tell).
    static let securityHeaders: HTTPFields = [
        .contentSecurityPolicy:
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        HTTPField.Name("Referrer-Policy")!: "same-origin",
        .cacheControl: "no-store",
    ]

    static func html(_ status: HTTPResponse.Status, _ text: String) -> Response {
        body(status, text, type: "text/html; charset=utf-8")
    }

    static func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        body(status, text, type: "text/plain; charset=utf-8")
    }

    static func body(_ status: HTTPResponse.Status, _ text: String, type: String) -> Response {
        var headers = securityHeaders
        headers[.contentType] = type
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// "See other": after a form, or to the sign-in page.
    static func redirect(to location: String) -> Response {
        var headers = securityHeaders
        headers[.location] = location
        return Response(status: .seeOther, headers: headers)
    }

    /// The browser's basic-auth prompt.
    static func loginRequired() -> Response {
        var response = plain(.unauthorized, "login required\n")
        response.headers[.wwwAuthenticate] = "Basic realm=\"source-agent console\", charset=\"UTF-8\""
        return response
    }
}
