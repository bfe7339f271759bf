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

    @Test(
        "a duration beyond 31,000 years is missing, not a trap, in arithmetic, dates, times and the trace",
        arguments: [
            "77*77*6s*77>66666666666666666666666666666666666666666666666*6s",
            "fr.ship_by + 99999999999999999999 * 1d > fr.ship_by", "fr.age * 1e30 > 1s",
            "fr.created_at + 30 * 300000000000s > fr.created_at",
            "sum(items, item.quantity * 9999999d * 99999999) > 0s",
        ])
    func hugeDurations(when: String) throws {
        let ruleSet = try Build.single(when.replacingOccurrences(of: "1e30", with: "1000000000000000000000000000000"))
        let decision = ruleSet.decide(
            Build.fr(shipBy: .day(LocalDate(year: 2026, month: 12, day: 2)!)), facts: Build.facts())
        #expect(decision.rule == "default", "a comparison with a missing side is false")
        #expect(!decision.trace.rules.isEmpty)
    }

    @Test("a literal duration beyond 31,000 years is refused where it is written")
    func hugeLiteral() {
        let yaml = Build.ruleFile("  - name: r\n    when: fr.age > 99999999999999999999d\n    then: hold")
        let errors = RuleSet.load(contents: yaml, path: "rules.yaml").errors.map(\.description)
        #expect(errors == ["rules.yaml:11:20: error: a duration longer than 31,000 years"])
    }

    @Test("a malformed FR whose id is a number too large for an integer is reported without its id, not a trap")
    func hugeMalformedId() throws {
        let json = #"[{"id": 10333333333333333333333333333333333333333333309, "fulfillmentRequestItems": "none"}]"#
        let results = try FRListDecoder.decode(Data(json.utf8))
        guard case .failure(let failure)? = results.first else {
            Issue.record("decoded \(results)")
            return
        }
        #expect(failure.frId == nil && failure.index == 0)
    }

    @Test("a stock file whose 101st problem is a broken quote names that line, not line 0")
    func stoppedReadingLine() {
        let csv = "sku,on_hand\n" + String(repeating: "A,x\n", count: 100) + "\"open\n"
        guard case .failure(let errors) = StockCSV.parse(csv) else {
            Issue.record("accepted")
            return
        }
        #expect(errors.errors.count == 101)
        #expect(errors.errors.allSatisfy { (1...103).contains($0.line) }, "\(errors.errors.suffix(2))")
        #expect(errors.errors.last == CSVLineError(line: 102, message: "a quoted field is never closed"))
    }

    @Test("a config file ending in an explicit key with no value names a line inside the file")
    func configEmptyValueAtEnd() {
        // Found by the config-file target: libyaml puts the missing value after the last line.
        let text = "version: 1\n? vr\"- l####ag n- "
        do {
            _ = try ConfigDocument.parse(text, path: "agent.yaml", pathKeys: [])
            Issue.record("accepted")
        } catch {
            #expect(error.position == "agent.yaml:2:19", "\(error)")
            #expect(error.message.contains("has no value (empty)"))
        }
    }
}
