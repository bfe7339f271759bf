import Foundation
import Testing

@testable import FulfillmentCore

@Suite("Rule file diagnostics")
struct RuleFileDiagnosticsTests {
    func diagnostics(_ yaml: String) -> [String] {
        RuleSet.load(contents: yaml, path: "rules.yaml").diagnostics.map(\.description)
    }

    @Test("the example rule file is clean")
    func exampleIsClean() throws {
        let result = RuleSet.load(contents: try RepositoryFiles.text("rules.example.yaml"), path: "rules.example.yaml")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        #expect(result.ruleSet?.ruleNames.count == 11)
    }

    @Test("each mistake is reported at its line and column")
    func positions() {
        let yaml = """
            version: 1
            warehouse:
              timezone: America/Chicago
            rules:
              - name: typo
                when: not adress.valid
                then: hold
              - name: types
                when: fr.units > "3"
                then: hold
              - name: regex
                when: fr.number matches "FR-("
                then: hold
              - name: no-reason
                when: stock.covers_any
                then: cancel
              - name: typo
                when: stock.covers_all
                then: acknowledge
              - name: first
                when: address.po_box
                then: hold
              - name: shadowed
                when: address.po_box and fr.units > 1
                then: hold
            default:
              then: cancel
              reason: out_of_stok
            """
        #expect(
            diagnostics(yaml) == [
                "rules.yaml:6:15: error: unknown fact 'adress.valid'; did you mean 'address.valid'?",
                "rules.yaml:9:11: error: cannot compare int 'fr.units' with string '\"3\"'",
                "rules.yaml:12:29: error: bad regular expression \"FR-(\": '(' is never closed (at character 4)",
                "rules.yaml:16:11: error: rule 'no-reason' cancels but gives no 'reason'",
                "rules.yaml:17:11: error: duplicate rule name 'typo'; the first is at line 5",
                "rules.yaml:24:11: warning: rule 'shadowed' can never match: rule 'first' (line 21) matches whenever it does",
                "rules.yaml:28:11: error: unknown reason 'out_of_stok'; did you mean 'out_of_stock'?; use one of "
                    + "out_of_stock, address_invalid, cannot_meet_ship_by, restricted_destination, discontinued, duplicate, other",
            ])
    }

    @Test("columns inside quoted and block scalars point at the token")
    func scalarStyles() {
        let yaml = """
            version: 1
            rules:
              - name: quoted
                when: "fr.units > 1 and adress.valid"
                then: hold
              - name: block
                when: >
                  fr.units > 1 and
                  stock.covers_al
                then: hold
            default: { then: hold }
            """
        let found = diagnostics(yaml).filter { $0.contains("error") }
        #expect(
            found == [
                "rules.yaml:4:29: error: unknown fact 'adress.valid'; did you mean 'address.valid'?",
                "rules.yaml:9:7: error: unknown fact 'stock.covers_al'; did you mean 'stock.covers_all'?",
            ])
    }

    @Test(
        "the docs' limits hold for every value: over 10,000 characters refused wherever it sits; a rule's name is text",
        arguments: [
            (
                "when: \"" + String(repeating: "a", count: 10_001) + "\"",
                "a value is 10001 characters long; at most 10000"
            ),
            (
                "when: fr.units > 1\n    note: " + String(repeating: "n", count: 10_001),
                "a value is 10001 characters long"
            ),
            (
                "when: fr.units > 1\n    note: " + String(repeating: "n", count: 1_000_000),
                "a value is 1000000 characters"
            ),
            ("when: fr.units > 1\n    note: " + String(repeating: "é", count: 10_000), ""),
            ("name: ~\n    when: fr.units > 1", "a rule's 'name' must be text, got '~'"),
            ("name: \"\"\n    when: fr.units > 1", "a rule's 'name' must be text, got ''"),
            ("name: null\n    when: fr.units > 1", "a rule's 'name' must be text, got 'null'"),
            ("name: \"null\"\n    when: fr.units > 1", ""),
        ])
    func documentedLimits(_ rule: String, _ expected: String) {
        let named = rule.hasPrefix("name:") ? rule : "name: r\n    " + rule
        let yaml = "version: 1\nrules:\n  - " + named + "\n    then: hold\n"
        let result = RuleSet.load(contents: yaml, path: "rules.yaml")
        if expected.isEmpty {
            #expect(result.errors.isEmpty, "\(result.errors.map(\.description))")
        } else {
            #expect(result.ruleSet == nil)
            #expect(
                result.errors.contains { $0.description.contains(expected) },
                "\(result.errors.map { String($0.description.prefix(200)) })")
            #expect(result.errors.allSatisfy { $0.description.count < 400 }, "the value is never echoed whole")
        }
    }

    @Test(
        "file-level problems",
        arguments: [
            (
                "version: 2\nrules: []",
                "rules.yaml:1:10: error: rule file version 2 is newer than this source-agent understands (1); upgrade source-agent"
            ),
            ("rules: []", "rules.yaml:1:1: error: missing 'version: 1' at the top of the rule file"),
            (
                "version: 1\nrulez: []\nrules: []",
                "rules.yaml:2:1: error: unknown key 'rulez' in the rule file; did you mean 'rules'?"
            ),
            (
                "version: 1\nwarehouse: { timezone: America/Chicgo }\nrules: []",
                "rules.yaml:2:24: error: unknown time zone 'America/Chicgo'; did you mean 'America/Chicago'?; use an IANA name such as America/Chicago"
            ),
            (
                "version: 1\nwarehouse: { timezone: UTC, cutoff: '25:00' }\nrules: []",
                "rules.yaml:2:37: error: cutoff must be a time of day such as \"14:00\", got '25:00'"
            ),
            (
                "version: 1\nwarehouse: { timezone: UTC, ship_days: [mon, funday] }\nrules: []",
                "rules.yaml:2:46: error: unknown weekday 'funday'; use mon, tue, wed, thu, fri, sat, sun"
            ),
            (
                "version: 1\nwarehouse: { timezone: UTC, holidays: [2026-13-01] }\nrules: []",
                "rules.yaml:2:40: error: holiday '2026-13-01' is not a date YYYY-MM-DD"
            ),
            (
                "version: 1\nrules:\n  - name: a\n    when: true\n    then: ship\n",
                "rules.yaml:5:11: error: unknown decision 'ship'; use acknowledge, split, cancel or hold"
            ),
            (
                "version: 1\nrules:\n  - name: a\n    when: true\n    then: acknowledge\n    remainder: kill\n",
                "rules.yaml:6:5: error: 'remainder' applies only to split and cancel, not acknowledge"
            ),
            (
                "version: 1\nrules:\n  - name: a\n    when: true\n    then: hold\n    note: 'see {adress.city}'\n",
                "rules.yaml:6:17: error: unknown fact 'adress.city'; did you mean 'address.city'?"
            ),
            (
                "version: 1\nrules:\n  - name: a\n    then: hold\n",
                "rules.yaml:3:5: error: rule 'a' needs a 'when' condition"
            ),
            (
                "version: 1\nguards: { max_cancel_share: 1.5 }\nrules: []",
                "rules.yaml:2:29: error: 'max_cancel_share' must be a number from 0 to 1, got '1.5'"
            ),
            (
                "version: 1\nrules: [\n",
                "rules.yaml:3:1: error: YAML syntax: did not find expected node content (while parsing a flow node)"
            ),
            ("version: 1\nversion: 1\nrules: []", "rules.yaml:1:1: error: duplicate key 'version' in a mapping"),
        ])
    func fileProblems(yaml: String, expected: String) {
        let found = diagnostics(yaml)
        #expect(found.contains(expected), "\(found)")
        #expect(RuleSet.load(contents: yaml, path: "rules.yaml").ruleSet == nil)
    }

    @Test("'manual' is the rule name of a person's decisions: a rule file may not take it")
    func manualIsReserved() {
        let yaml = """
            version: 1
            warehouse: { timezone: UTC, cutoff: "14:00", country: US }
            rules:
              - name: manual
                when: true
                then: acknowledge
            """
        #expect(
            diagnostics(yaml).contains(
                "rules.yaml:4:11: error: 'manual' is reserved for decisions a person takes; rename this rule"))
    }

    @Test("warnings: missing default, unused list, an earlier 'when: true'")
    func warnings() {
        let yaml = """
            version: 1
            warehouse: { timezone: UTC }
            lists:
              unused: [a]
            rules:
              - name: all
                when: true
                then: hold
              - name: never
                when: stock.covers_all
                then: acknowledge
            """
        let result = RuleSet.load(contents: yaml, path: "rules.yaml")
        #expect(result.ruleSet != nil)
        #expect(
            result.diagnostics.map(\.description) == [
                "rules.yaml:4:3: warning: list 'unused' is never used",
                "rules.yaml:5:1: warning: no 'default': an FR that matches no rule is held for a person",
                "rules.yaml:10:11: warning: rule 'never' can never match: rule 'all' (line 7) matches whenever it does",
            ])
    }

    @Test("shadowing is judged on normalised conditions")
    func shadowing() throws {
        // Rule `second` (a) after rule `first` (b): shadowed exactly when a implies b.
        func implies(_ a: String, _ b: String) throws -> Bool {
            func facts(_ text: String) -> String {
                text.replacingOccurrences(of: "x.a", with: "address.po_box")
                    .replacingOccurrences(of: "x.b", with: "address.military")
                    .replacingOccurrences(of: "x.c", with: "address.domestic")
            }
            let yaml = Build.ruleFile(
                "  - name: first\n    when: \(facts(b))\n    then: hold\n"
                    + "  - name: second\n    when: \(facts(a))\n    then: hold", extra: "guards: {}")
            let result = RuleSet.load(contents: yaml, path: "r.yaml")
            #expect(result.errors.isEmpty, "\(result.errors)")
            return result.warnings.contains { $0.message.hasPrefix("rule 'second' can never match") }
        }
        #expect(try implies("x.a and x.b", "x.a"))
        #expect(try implies("x.b && x.a", "x.a and x.b"))
        #expect(try implies("x.a", "x.a or x.c"))
        #expect(try implies("fr.units > 1", "fr.units>1"))
        #expect(try implies("x.a", "true"))
        #expect(try !implies("x.a", "x.a and x.b"))
        #expect(try !implies("x.a or x.c", "x.a"))
    }
}

@Suite("Hostile rule files")
struct HostileRuleFileTests {
    func diagnostics(_ when: String) -> [String] {
        let yaml = "version: 1\nrules:\n  - name: deep\n    when: \(when)\n    then: hold\n"
        return RuleSet.load(contents: yaml, path: "rules.yaml").errors.map(\.description)
    }

    @Test(
        "2,000 nested nots or parentheses, or a 200-term chain, refused at their position; 100,000 refused as too long")
    func deepNesting() {
        let nots = diagnostics(String(repeating: "not ", count: 2_000) + "true")
        #expect(nots == ["rules.yaml:4:411: error: expression nested deeper than 100 levels"])
        let parens = diagnostics(String(repeating: "(", count: 2_000) + "true" + String(repeating: ")", count: 2_000))
        #expect(parens == ["rules.yaml:4:111: error: expression nested deeper than 100 levels"])
        let huge = diagnostics(String(repeating: "not ", count: 100_000) + "true")
        #expect(huge.count == 1 && huge[0].hasPrefix("rules.yaml:4:11: error: a value is 400004 characters long"))
        let chain = diagnostics(Array(repeating: "fr.units > 1", count: 200).joined(separator: " and "))
        #expect(chain.count == 1 && chain[0].contains("nested deeper than 100 levels; split the rule"))
        #expect(diagnostics(Array(repeating: "fr.units > 1", count: 50).joined(separator: " and ")).isEmpty)
    }
}

@Suite("Bounded regular expressions")
struct BoundedRegexTests {
    /// Patterns that make a backtracking engine take exponential time on a subject that
    /// almost matches; here each visits at most `instructions × (scalars + 1)` states.
    @Test(
        "patterns that backtrack exponentially elsewhere run in linear steps here",
        arguments: ["(a|a)*$", "(a|aa)+$", "(.*a){25}$", "(a|.)*!$", "^(a+)+$", "(x+x+)+y", "((a*)*)*b"])
    func linear(pattern: String) throws {
        let program = try PatternProgram(pattern)
        for count in [40, 1_000] {
            let subject = String(repeating: "a", count: count) + "!"
            let (_, steps) = program.run(subject)
            #expect(steps <= program.instructions.count * (subject.unicodeScalars.count + 1))
        }
        // The rule compiles and decides a hostile FR: a city of 1,000 × 'a' and a '!'.
        let rules = RuleSet.load(
            contents: "version: 1\nrules:\n  - name: r\n    when: address.city matches '\(pattern)'\n    then: hold\n",
            path: "rules.yaml")
        #expect(rules.errors.isEmpty, "\(rules.errors)")
    }

    @Test(
        "the same answers as a backtracking engine on ordinary patterns",
        arguments: [
            "^FR-[0-9]+$", "(ab)+", "[a+]+", "(a|b)c+", "^(?:PO|P\\.O\\.) ?Box", "\\bbox\\b", "^\\d{5}(-\\d{4})?$",
            "[^a-z]", "x{2,3}y", "colou?r", "^$", "a.c", "\\s+$", "^[A-Z]{2}\\d", "(?i)^po box", "é+", "a{0}b",
            "\\w+@\\w+\\.com", "[-a]", "[a-]", "[]a]", "\\.", "a|", "()",
        ])
    func agreesWithFoundation(pattern: String) throws {
        let ours = try PatternProgram(pattern)
        let theirs = try NSRegularExpression(pattern: pattern)
        let subjects = [
            "", "FR-1001", "FR-", "abab", "a+", "bccc", "PO Box 12", "P.O. Box", "the box!", "boxes", "12345",
            "12345-6789", "1234", "abc", "Z", "xxy", "xxxxy", "color", "colour", "a c", "aXc", "a\nc", "trailing  ",
            "TX7", "po BOX 3", "Po Box", "éé", "b", "me@host.com", "-", "]", ".", "line\n",
        ]
        for subject in subjects {
            let expected =
                theirs.firstMatch(in: subject, range: NSRange(subject.startIndex..., in: subject)) != nil
            #expect(ours.matches(subject) == expected, "'\(pattern)' on '\(subject)'")
        }
    }

    @Test(
        "what needs backtracking or expands too far is refused at load, saying what to write",
        arguments: [
            ("(a)\\1", "backreferences"), ("a(?=b)", "lookaround"), ("(?<!a)b", "lookaround"), ("a++", "possessive"),
            ("(a{1,100}){1,100}$", "too large"), ("a{5,2}", "wrong way round"), ("a{1,5000}", "above 1000"),
            ("*a", "nothing before it"), ("(a", "never closed"), ("a)", "unmatched ')'"), ("[a", "never closed"),
            ("\\q", "unknown escape"), ("a{", "starts a repeat"), ("[z-a]", "goes backwards"), ("^*", "anchor"),
        ] as [(String, String)])
    func refused(pattern: String, expected: String) {
        #expect(throws: PatternError.self) { try PatternProgram(pattern) }
        do {
            _ = try PatternProgram(pattern)
        } catch {
            #expect(error.description.contains(expected), "\(error)")
        }
    }

    @Test("the diagnostic names the rule file's position; a long subject is matched on its first 1,000 characters")
    func diagnosticAndLimit() throws {
        let yaml = "version: 1\nrules:\n  - name: r\n    when: fr.number matches 'a(?=b)'\n    then: hold\n"
        let errors = RuleSet.load(contents: yaml, path: "rules.yaml").errors.map(\.description)
        #expect(
            errors.count == 1
                && errors[0].hasPrefix("rules.yaml:4:29: error: bad regular expression 'a(?=b)': lookaround"))
        let pattern = try CompiledPattern("^b")
        #expect(pattern.matches(String(repeating: "b", count: 2_000_000)))
        #expect(try !CompiledPattern("c$").matches(String(repeating: "a", count: 5_000) + "c"))
    }
}
