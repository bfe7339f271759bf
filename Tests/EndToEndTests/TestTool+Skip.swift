import AgentTesting
import Testing

extension TestTool {
    /// Skips the running test, with one line saying which tool is missing, unless the tool is
    /// here (or the environment requires it: then its absence fails the test).
    func require() throws {
        guard try available() else { try Test.cancel(Comment(rawValue: skipReason)) }
    }
}
