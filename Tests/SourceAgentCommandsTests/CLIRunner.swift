import AgentTesting
import Foundation

/// Runs the built `source-agent` binary as a person would, capturing its output.
enum CLI {
    static let repositoryRoot = AgentBinary.repositoryRoot

    static func run(_ arguments: [String], stdin: String? = nil, in directory: URL? = nil) async throws
        -> AgentBinary.Output
    {
        try await AgentBinary.run(arguments, stdin: stdin, in: directory)
    }

    /// A fresh temporary directory, removed by the caller.
    static func temporaryDirectory() throws -> URL { try Scratch.directory("source-agent-tests") }
}
