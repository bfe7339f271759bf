import AgentStore
import AgentStoreSQLite
import AgentTesting
import Foundation
import FulfillmentCore
import Testing

/// The console's rules page and its people: an edit checked, previewed on the agent's own
/// history, applied to the running agent and reverted; roles enforced by the server.
@Suite("the web console: rules and people")
struct ConsoleRulesTests {
    typealias Console = ConsoleTests.Console

    /// A folder with the example rules as `rules.yaml` and their test file below it, naming it.
    static func ruleFolder() throws -> (URL, String) {
        let directory = try Scratch.directory("console-rules")
        let examples = directory.appendingPathComponent("examples")
        try FileManager.default.createDirectory(at: examples, withIntermediateDirectories: true)
        let rules = directory.appendingPathComponent("rules.yaml").path
        try FileManager.default.copyItem(atPath: "rules.example.yaml", toPath: rules)
        for name in ["stock-sample.csv", "frs-sample.json"] {
            try FileManager.default.copyItem(
                atPath: "examples/\(name)", toPath: examples.appendingPathComponent(name).path)
        }
        let tests = try String(contentsOfFile: "examples/rules.example.test.yaml", encoding: .utf8)
            .replacingOccurrences(of: "rules: ../rules.example.yaml", with: "rules: ../rules.yaml")
        try tests.write(
            to: examples.appendingPathComponent("rules.test.yaml"), atomically: true, encoding: .utf8)
        return (directory, rules)
    }

    /// A hidden field's value in a page.
    static func field(_ name: String, in page: String) -> String? {
        guard let start = page.range(of: #"name="\#(name)" value=""#) else { return nil }
        return String(page[start.upperBound...].prefix { $0 != "\"" })
    }

    static let usps = #"when: address.military and upper(fr.carrier) != "USPS""#
    static let never = #"when: address.military and upper(fr.carrier) == "NO SUCH CARRIER""#

    @Test(
        "edit a rule: check names the line, preview shows the FRs that would change, apply, the agent follows, revert")
    func editPreviewApplyRevert() async throws {
        let (directory, rules) = try Self.ruleFolder()
        defer { try? FileManager.default.removeItem(at: directory) }
        let original = try String(contentsOfFile: rules, encoding: .utf8)
        try await ConsoleTests.withConsole(rules: rules) { console, _, db, _ in
            let store = try await AgentDatabase.open(path: db)
            #expect(try await store.decisions(forFR: "1003").last?.rule == "military-needs-usps")
            let page = try #require(await console.get("/rules")).body
            let line =
                original.split(separator: "\n", omittingEmptySubsequences: false)
                .firstIndex { $0.contains(Self.usps) }! + 1
            #expect(page.contains("<tr id=\"L\(line)\"><td class=\"n\">\(line)</td>"))
            // The file found at the first start is the fleet's first version, loaded by this process.
            #expect(page.contains("in force for the fleet: <code>#1 (") && page.contains("(on disk)"))
            #expect(
                page.contains("id=\"fleet-rules\"") && page.contains("<td>#1</td>"),
                "\(page.components(separatedBy: "fleet-rules").last?.prefix(600) ?? "")")
            let token = try #require(await console.csrf())
            let base = try #require(Self.field("base", in: page))
            let form = [("csrf", token), ("by", "ana"), ("base", base)]

            // A broken edit: the diagnostic as `rules check` prints it, and nothing written.
            let broken = original.replacingOccurrences(of: Self.usps, with: "when: address.military and")
            let checked = try #require(await console.post("/rules/edit", form + [("text", broken), ("step", "check")]))
            #expect(checked.status == 200 && checked.body.contains("\(rules):\(line):"))
            #expect(checked.body.contains("error(s): nothing was applied"))
            let refused = try #require(await console.post("/rules/edit", form + [("text", broken), ("step", "apply")]))
            #expect(refused.status == 400)
            #expect(try String(contentsOfFile: rules, encoding: .utf8) == original)

            // The preview: FR-1003, held by the rule, would now be acknowledged; its test fails.
            let edited = original.replacingOccurrences(of: Self.usps, with: Self.never)
            let preview = try #require(
                await console.post("/rules/edit", form + [("text", edited), ("step", "preview")])
            ).body
            #expect(preview.contains("<strong>1 would change</strong>"))
            #expect(preview.contains(">FR-1003</a>") && preview.contains("hold (military-needs-usps)"))
            #expect(preview.contains("APO address with a UPS carrier waits for a person") && preview.contains("FAIL"))
            #expect(preview.contains("passed, 1 failed"))
            #expect(try String(contentsOfFile: rules, encoding: .utf8) == original)

            // Apply: written, kept, reloaded; the running agent's next cycle decides by it.
            let applied = try #require(
                await console.post(
                    "/rules/edit", form + [("text", edited), ("step", "apply"), ("note", "UPS may ship APO <now>")]))
            #expect(
                applied.status == 200 && applied.body.contains("is in force for the fleet")
                    && applied.body.contains("+1 −1"))
            #expect(applied.body.contains(Self.never.replacingOccurrences(of: "\"", with: "&quot;")))
            #expect(try String(contentsOfFile: rules, encoding: .utf8) == edited)
            #expect(try String(contentsOfFile: rules + ".previous", encoding: .utf8) == original)
            #expect(
                await RunningAgent.eventually {
                    (try? await store.decisions(forFR: "1003").last?.decision) == .acknowledge
                })
            // A second apply from the same page is refused: another version came into force since.
            let again = original.replacingOccurrences(of: Self.usps, with: Self.never + " and true")
            let stale = try #require(await console.post("/rules/edit", form + [("text", again), ("step", "apply")]))
            #expect(stale.status == 409 && stale.body.contains("Another version came into force"))
            #expect(try String(contentsOfFile: rules, encoding: .utf8) == edited)

            let history = try await store.ruleVersions(name: "rules.yaml", limit: 10)
            #expect(history.count == 2 && history[0].actor == "ana" && history[1].actor.hasSuffix("(on disk)"))
            #expect(history[0].replaces == history[1].id)
            #expect(try await store.ruleInForce(name: "rules.yaml")?.id == history[0].id)
            #expect(history[0].note == "UPS may ship APO <now>")
            let listed = try #require(await console.get("/rules")).body
            #expect(listed.contains("UPS may ship APO &lt;now&gt;") && listed.contains("<strong>in force</strong>"))
            let version = try #require(await console.get("/rules/version?id=\(history[0].id!)")).body
            #expect(version.contains("<tr class=\"removed\"><td class=\"n\">-</td>"))

            // Revert to the file as found: through the same check, recorded, in force.
            let reverted = try #require(
                await console.post("/rules/revert", [("csrf", token), ("by", "bo"), ("id", "\(history[1].id!)")]))
            #expect(reverted.status == 200 && reverted.body.contains("changed by bo"))
            #expect(try String(contentsOfFile: rules, encoding: .utf8) == original)
            #expect(
                try await store.ruleVersions(name: "rules.yaml", limit: 10).first?.note
                    == "revert to version #\(history[1].id!)")
            let audit = try #require(await console.get("/audit")).body
            #expect(
                audit.contains("rules-apply") && audit.contains("rules-revert")
                    && audit.contains("UPS may ship APO &lt;now&gt;"))
        }
    }

    /// Three people, every password `secret` (bcrypt, as `htpasswd -nB` writes it, and Argon2id
    /// for oli).
    static let users = """
        ana:admin:$2y$05$abcdefghijklmnopqrstuuOQiyCxlgf/oeuTqixKmWdcYUh4Hjl0a
        oli:operator:$argon2id$v=19$m=64,t=2,p=1$cGVwcGVycGVwcGVy$AC0+BLVdOaNAwCTyJVls62kzspoZ4hqKeHTuzTClCKo
        vic:viewer:$2y$05$abcdefghijklmnopqrstuuOQiyCxlgf/oeuTqixKmWdcYUh4Hjl0a
        """

    /// Signs in; the console with the session cookie, and the `Set-Cookie` line.
    static func signIn(_ console: Console, _ name: String, password: String = "secret", https: Bool = false)
        async throws -> (Console, String, Int)
    {
        let login = try #require(await console.get("/login?next=%2Fholds")).body
        let token = try #require(Self.field("csrf", in: login))
        var sender = console
        if https { sender.headers.append(("X-Forwarded-Proto", "https")) }
        let reply = try #require(
            await sender.send(
                "/login", [("csrf", token), ("name", name), ("password", password), ("next", "/holds")]))
        let cookie = reply.headers.first { $0.0.lowercased() == "set-cookie" }?.1 ?? ""
        var signedIn = console
        if let value = cookie.split(separator: ";").first { signedIn.headers = [("Cookie", String(value))] }
        return (signedIn, cookie, reply.status)
    }

    @Test("people: sign-in to a session cookie, throttled; viewers read, operators act, admins change rules")
    func roles() async throws {
        let directory = try Scratch.directory("console-users")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("console-users").path
        #expect(
            FileManager.default.createFile(
                atPath: path, contents: Data(Self.users.utf8), attributes: [.posixPermissions: 0o600]))
        try await ConsoleTests.withConsole(extra: ["--console-users-file", path]) { console, _, db, _ in
            let anonymous = try #require(await console.get("/holds?source=default"))
            #expect(anonymous.status == 303)
            #expect(
                anonymous.headers.contains {
                    $0.0.lowercased() == "location" && $0.1 == "/login?next=%2Fholds%3Fsource%3Ddefault"
                })

            // Wrong passwords: refused; after five, even the right one waits.
            for _ in 0..<5 { #expect(try await Self.signIn(console, "mallory", password: "guess").2 == 401) }
            #expect(try await Self.signIn(console, "mallory", password: "secret").2 == 429)

            let (vic, cookie, status) = try await Self.signIn(console, "vic", https: true)
            #expect(status == 303)
            #expect(
                cookie.hasPrefix("console_session=") && cookie.contains("HttpOnly")
                    && cookie.contains("SameSite=Strict")
                    && cookie.contains("Secure"))
            let holds = try #require(await vic.get("/holds")).body
            #expect(holds.contains("signed in as vic (viewer)") && holds.contains("FR-1004"))
            #expect(!holds.contains("value=\"acknowledge\""))
            let token = try #require(await vic.csrf())
            // The server refuses what the page did not offer.
            #expect(
                await vic.post("/decide", [("csrf", token), ("fr", "1004"), ("action", "acknowledge")])?.status == 403)
            #expect(await vic.post("/pause", [("csrf", token)])?.status == 403)
            #expect(await vic.post("/retry", [("csrf", token), ("all", "1")])?.status == 403)
            #expect(
                await vic.post("/rules/edit", [("csrf", token), ("text", "version: 1"), ("step", "check")])?.status
                    == 403)
            #expect(
                await vic.upload("/stock/preview", [("csrf", token)], file: ("count.csv", "sku,on_hand\nSKU-1,5\n"))?
                    .status == 403)
            #expect(
                await vic.upload("/shipments/upload", [("csrf", token)], file: ("t.csv", "fr,tracking_number\n"))?
                    .status == 403)
            #expect(try await AgentDatabase.open(path: db).decisions(forFR: "1004").count == 1)

            let (oli, plainCookie, _) = try await Self.signIn(console, "oli")
            #expect(!plainCookie.contains("Secure"))
            // The token is the session's: a viewer's page gives nothing an operator's session takes.
            #expect(
                await oli.post("/decide", [("csrf", token), ("fr", "1004"), ("action", "acknowledge")])?.status == 403)
            let oliToken = try #require(await oli.csrf())
            #expect(oliToken != token)
            // A form posted from another site is refused even with the right token.
            var elsewhere = oli
            elsewhere.headers.append(("Origin", "http://evil.example"))
            #expect(
                await elsewhere.post("/decide", [("csrf", oliToken), ("fr", "1004"), ("action", "acknowledge")])?
                    .status == 403)
            let decided = try #require(
                await oli.post("/decide", [("csrf", oliToken), ("fr", "1004"), ("action", "acknowledge")]))
            #expect(decided.status == 200 && decided.body.contains("decided by oli"))
            #expect(
                await oli.post("/rules/edit", [("csrf", oliToken), ("text", "version: 1"), ("step", "check")])?.status
                    == 403)
            let (ana, _, _) = try await Self.signIn(console, "ana")
            let anaToken = try #require(await ana.csrf())
            let checked = try #require(
                await ana.post("/rules/edit", [("csrf", anaToken), ("text", "version: 1\n"), ("step", "check")]))
            // An admin may check: the diagnostics are shown as `rules check` prints them.
            #expect(checked.status == 200 && checked.body.contains("<h2>Diagnostics</h2>"))

            let audit = try #require(await vic.get("/audit")).body
            #expect(audit.contains("sign-in") && audit.contains("signed in as operator"))
            #expect(audit.contains("<td>oli</td><td>decide</td>"))

            // Signing out ends the session on the server, not just in the browser.
            #expect(await oli.send("/logout", [("csrf", oliToken)])?.status == 303)
            #expect(await oli.get("/holds")?.status == 303)
            #expect(await vic.get("/holds")?.status == 200)
        }
    }
}

/// The overview and the hold queue keep themselves current.
@Suite("the web console: live pages")
struct ConsoleLiveTests {
    @Test("a new hold appears on the open hold queue within seconds, without a reload; /live waits for a change")
    func newHoldAppears() async throws {
        try TestTool.chromium.require()
        try await ConsoleTests.withConsole { console, sandbox, db, _ in
            let store = try await AgentDatabase.open(path: db)
            #expect(await RunningAgent.eventually { (try? await store.status().pendingAnswers) == 0 })
            let page = try #require(await console.get("/holds"))
            let policy = page.headers.first { $0.0.lowercased() == "content-security-policy" }?.1 ?? ""
            #expect(policy.contains("script-src 'sha256-") && policy.contains("connect-src 'self'"))
            let stamp = try #require(page.body.firstMatch(of: /data-live="([^"]+)"/)).1
            // Nothing changed: /live answers the same stamp at once when asked without one.
            #expect(await console.get("/live?source=default&page=holds")?.body == String(stamp))

            // The browser opens the queue; the page's script waits on /live. A new FR arrives
            // meanwhile and is held: the page shows it, without a reload.
            var fresh = ConsoleTests.hostile
            fresh.id = 7770
            fresh.number = "FR-7770"
            let opened = Task { try await Chromium.dumpDOM(console.base + "/holds", virtualTime: 1500) }
            try await Task.sleep(for: .seconds(3))
            await sandbox.add(fresh)
            let started = ContinuousClock.now
            let dom = try await opened.value
            // The page was brought up to date without a reload (below); 60 s only catches a
            // page that never was, however loaded the machine.
            #expect(ContinuousClock.now - started < .seconds(60))
            #expect(dom.contains("id=\"fr-7770\""), "the hold queue was not brought up to date")
            #expect(!dom.contains("<img src=x"))
        }
    }
}
