import Foundation
import Testing

@Suite("rules check and rules test")
struct RulesCommandTests {
    @Test("rules check passes the example file")
    func checkExample() async throws {
        let result = try await CLI.run(["rules", "check", "rules.example.yaml"])
        #expect(result.status == 0)
        #expect(result.stdout == "rules.example.yaml: ok — 10 rules and a default\n")
    }

    @Test("rules check reports every mistake at its line and exits 2")
    func checkBroken() async throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("rules.yaml")
        try """
        version: 1
        warehouse: { timezone: America/Chicago }
        rules:
          - name: a
            when: stock.covers_al
            then: acknowledge
          - name: a
            when: true
            then: cancel
        default: { then: hold }
        """.write(to: file, atomically: true, encoding: .utf8)
        let result = try await CLI.run(["rules", "check", file.path])
        #expect(result.status == 2)
        #expect(
            result.stdout == """
                \(file.path):5:11: error: unknown fact 'stock.covers_al'; did you mean 'stock.covers_all'?
                \(file.path):7:11: error: duplicate rule name 'a'; the first is at line 4
                \(file.path):9:11: error: rule 'a' cancels but gives no 'reason'
                \(file.path): 3 errors

                """)
    }

    @Test("--strict turns warnings into errors")
    func strict() async throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("rules.yaml")
        try "version: 1\nwarehouse: { timezone: UTC }\nrules:\n  - name: a\n    when: true\n    then: hold\n"
            .write(to: file, atomically: true, encoding: .utf8)
        #expect(try await CLI.run(["rules", "check", file.path]).status == 0)
        let strict = try await CLI.run(["rules", "check", "--strict", file.path])
        #expect(strict.status == 2)
        #expect(strict.stdout.contains(":3:1: error: no 'default'"))
    }

    @Test("rules test runs the example tests and closes with the counts")
    func testExample() async throws {
        let result = try await CLI.run(["rules", "test", "examples/rules.example.test.yaml"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.hasSuffix("17 passed, 0 failed\n"))
    }

    @Test("a failing case is shown with its trace and exits 1")
    func testFailure() async throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("t.yaml")
        try """
        version: 1
        rules: \(CLI.repositoryRoot.path)/rules.example.yaml
        now: 2026-11-27T09:00:00-06:00
        stock: { SKU-RED: 5 }
        cases:
          - name: wrong on purpose
            fr: { id: 1, generatedAt: "2026-11-27T10:00:00Z", shippingAddress: { name: A, addressLine1: 1 Main St, city: Austin, stateCode: TX, countryCode: US, postal: "78701" }, fulfillmentRequestItems: [{ id: 1, sku: SKU-RED, quantity: 1 }] }
            expect: { decision: cancel, reason: out_of_stock }
          - name: right
            fr: { id: 2, fulfillmentRequestItems: [{ id: 1, sku: SKU-RED, quantity: 1 }] }
            expect: { decision: hold, rule: address-needs-review }
        """.write(to: file, atomically: true, encoding: .utf8)
        let result = try await CLI.run(["rules", "test", file.path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAIL  wrong on purpose  (\(file.path):6)"))
        #expect(result.stdout.contains("expected decision cancel, got acknowledge"))
        #expect(result.stdout.contains("expected reason out_of_stock, got none"))
        #expect(result.stdout.contains("✔ ship-complete"))
        #expect(result.stdout.contains("PASS  right"))
        #expect(result.stdout.hasSuffix("1 passed, 1 failed\n"))
    }
}
