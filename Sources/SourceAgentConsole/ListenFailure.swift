import Foundation
import Hummingbird
import NIOCore

/// A server of the agent's (metrics, console) could not take its port. Said in the
/// operator's words, naming the setting to change, instead of NIO's
/// `bind(descriptor:ptr:bytes:): Address already in use (errno: 98)`.
public struct ListenFailure: Error, CustomStringConvertible {
    public let what: String
    public let host: String
    public let port: Int
    public let setting: String
    public let reason: String

    public var description: String {
        "the \(what) cannot listen on \(host):\(port): \(reason); choose another port with \(setting)"
    }

    /// Runs a server; a refused bind becomes a `ListenFailure`, any other error goes as it is.
    public static func run(
        _ app: some ApplicationProtocol, what: String, host: String, port: Int, setting: String
    ) async throws {
        do {
            try await app.run()
        } catch let error as IOError where [EADDRINUSE, EACCES, EADDRNOTAVAIL].contains(error.errnoCode) {
            let reason =
                switch error.errnoCode {
                case EADDRINUSE: "another program uses that port"
                case EACCES: "ports below 1024 need privileges"
                default: "that address is not one of this machine's"
                }
            throw ListenFailure(what: what, host: host, port: port, setting: setting, reason: reason)
        }
    }
}
