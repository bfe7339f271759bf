import Foundation
import Testing

@testable import FulfillmentCore

/// One regression test per finding of `Scripts/fuzz`, named after what was found.
@Suite("Fuzzing findings")
struct FuzzFindingsTests {
    @Test(
        "a YAML error at the end of a file without a final line break points inside the file",
        arguments: ["version: 1\nwarehouse:\n  timezone: UTC\ne read", "version: 1\nrules:\n  - name: \"x", "a: [1,"])
    func yamlErrorAtEndOfFile(yaml: String) throws {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        let diagnostics = RuleSet.load(contents: yaml, path: "rules.yaml").diagnostics
        let error = try #require(diagnostics.first)
        #expect(error.line == lines.count, "\(error)")
        #expect(error.column == lines.last!.count + 1, "\(error)")
    }
}
