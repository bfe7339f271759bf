import Foundation
import FulfillmentCore
import TestGate
import Testing

@testable import SourceAgentCommands

@Suite("Web console: logins, CSRF and forms", .sharesMachine)
struct ConsoleAccessTests {
    @Test("a password file names its bad line and never echoes a password")
    func passwordFile() throws {
        let good = ConsoleAccess.parsePasswords("# staff\nana:s3cret:with:colons\n\nbo:pw\n", path: "p")
        #expect(try good.get() == ["ana": "s3cret:with:colons", "bo": "pw"])
        let bad = ConsoleAccess.parsePasswords("ana:ok\nbo-hunter2\n", path: "p")
        #expect(throws: ConsoleSetupError.self) { try bad.get() }
        if case .failure(let error) = bad {
            #expect(error.description == "p:2: expected 'name:password' (the password is not shown)")
            #expect(!error.description.contains("hunter2"))
        }
        #expect((try? ConsoleAccess.parsePasswords("# nobody\n", path: "p").get()) == nil)
    }

    @Test("basic auth: the right password names the person; anything else is refused")
    func basicAuth() async {
        let access = ConsoleAccess(login: .passwords(["ana": "s3cret"]), csrfToken: "t")
        func header(_ text: String) -> String { "Basic " + Data(text.utf8).base64EncodedString() }
        #expect(await access.person(authorization: header("ana:s3cret"), cookies: []) == .named("ana", .admin))
        #expect(await access.person(authorization: header("ana:s3cre"), cookies: []) == .refused)
        #expect(await access.person(authorization: header("bo:s3cret"), cookies: []) == .refused)
        #expect(await access.person(authorization: nil, cookies: []) == .refused)
        #expect(await access.person(authorization: "Basic !!!", cookies: []) == .refused)
        #expect(await ConsoleAccess(login: .none, csrfToken: "t").person(authorization: nil, cookies: []) == .anyone)
    }

    @Test("basic auth is throttled as the sign-in form is: after five wrong passwords even the right one waits")
    func basicAuthThrottle() async {
        let access = ConsoleAccess(login: .passwords(["ana": "s3cret", "bo": "other"]), csrfToken: "t")
        func header(_ text: String) -> String { "Basic " + Data(text.utf8).base64EncodedString() }
        for guess in 0..<5 {
            #expect(await access.person(authorization: header("ana:guess\(guess)"), cookies: []) == .refused)
        }
        #expect(await access.person(authorization: header("ana:s3cret"), cookies: []) == .refused)
        // Another name is not held back by ana's failures.
        #expect(await access.person(authorization: header("bo:other"), cookies: []) == .named("bo", .admin))
    }

    /// Every password is `secret`: bcrypt's `$2y$` form (`htpasswd -nB`'s), `$2b$`, yescrypt and
    /// Argon2id.
    static let usersFile = """
        # people of the console
        ana:admin:$2y$05$abcdefghijklmnopqrstuuOQiyCxlgf/oeuTqixKmWdcYUh4Hjl0a
        vic:viewer:$2b$05$abcdefghijklmnopqrstuuOQiyCxlgf/oeuTqixKmWdcYUh4Hjl0a
        yul:operator:$y$j9T$abcdefghijklmnop$3dL1LkYnZM.OVXuVdnnaKVDlLYT92dRwOzDZ5XiVCe.
        abe:viewer:$argon2id$v=19$m=64,t=2,p=1$cGVwcGVycGVwcGVy$AC0+BLVdOaNAwCTyJVls62kzspoZ4hqKeHTuzTClCKo
        """

    @Test("a users file: roles, bcrypt, yescrypt and Argon2 hashes checked, bad lines named without their hash")
    func usersFile() throws {
        let users = try ConsoleUsers.parse(Self.usersFile, path: "u").get()
        #expect(users.check(name: "ana", password: "secret")?.role == .admin)
        #expect(users.check(name: "vic", password: "secret")?.role == .viewer)
        #expect(users.check(name: "yul", password: "secret")?.role == .operator)
        #expect(users.check(name: "yul", password: "secreT") == nil)
        #expect(users.check(name: "ana", password: "Secret") == nil)
        #expect(users.check(name: "abe", password: "secret")?.role == .viewer)
        #expect(users.check(name: "abe", password: "secret ") == nil)
        #expect(users.check(name: "nobody", password: "secret") == nil)
        #expect(ConsoleRole.viewer < .operator && ConsoleRole.operator < .admin)
        func problem(_ text: String) -> String? {
            if case .failure(let error) = ConsoleUsers.parse(text, path: "u") { return error.description }
            return nil
        }
        #expect(problem("ana:boss:$2y$05$x") == "u:1: role 'boss' is not one of viewer, operator, admin")
        // Found by fuzzing: a hash in the name's place was echoed.
        #expect(
            problem("$2a$05$abcdefghijklmnopqrstuu:admin:x")?.contains("got (a hash, not shown)") == true)
        #expect(
            problem("ana:admin$2y$05$abcdefghijklmnopqrstuuOQiyCxlgf:x")
                == "u:1: role (a hash, not shown) is not one of viewer, operator, admin")
        // Found by fuzzing: a hash in the role's place was echoed.
        #expect(
            problem("ana:$2y$05$abcdefghijklmnopqrstuu:admin")
                == "u:1: role (a hash, not shown) is not one of viewer, operator, admin")
        let plain = problem("ana:admin:hunter2")
        #expect(plain?.hasPrefix("u:1: the password must be a bcrypt hash") == true)
        #expect(plain?.contains("hunter2") == false)
        #expect(problem("ana:$2y$05$x")?.hasPrefix("u:1: expected 'name:role:hash', exactly three fields") == true)
        let huge = problem("ana:admin:$argon2id$v=19$m=4194304,t=1,p=1$cGVwcGVycGVwcGVy$AC0+BLVdOaNA")
        #expect(huge?.hasPrefix("u:1: the Argon2 hash is unusable: its settings are out of range") == true)
        #expect(huge?.contains("cGVwcGVy") == false)
        #expect(problem("# nobody") == "u: no 'name:role:hash' line")
        let good = "$2y$05$abcdefghijklmnopqrstuuOQiyCxlgf/oeuTqixKmWdcYUh4Hjl0a"
        #expect(problem("a:viewer:\(good)\na:admin:\(good)") == "u:2: 'a' is listed twice")
    }

    @Test(
        "a users-file line the docs do not accept is refused at start, named by line, its hash never shown",
        arguments: [
            (
                "ana:admin:$2y$03$abcdefghijklmnopqrstuuOQiyCxlgf/oeuTqixKmWdcYUh4Hjl0a",
                "the bcrypt cost is 3; from 4 to 14"
            ),
            ("ana:admin:$2y$99$abcdefghijklmnopqrstuuOQiyCxlgf/oeuTqixKmWdcYUh4Hjl0a", "the bcrypt cost is 99"),
            ("ana:admin:$2y$31$abcdefghijklmnopqrstuuOQiyCxlgf/oeuTqixKmWdcYUh4Hjl0a", "the bcrypt cost is 31"),
            ("ana:admin:$2y$05$abcdefghijklmnopqrstuuOQiyCxlgf", "the bcrypt hash is malformed or truncated"),
            ("ana:admin:$y$j9T$abc$junk", "the yescrypt hash is malformed"),
            ("ana:admin:$y$jzT$abcdefghijklmnop$3dL1LkYnZM.OVXuVdnnaKVDlLYT92dRwOzDZ5XiVCe.", "too costly"),
            (
                "ana:admin:$2y$05$abcdefghijklmnopqrstuuOQiyCxlgf/oeuTqixKmWdcYUh4Hjl0a\u{0}junk",
                "holds a NUL character"
            ),
            ("ana:admin:$2y$05$abcdefghijklmnopqrstuuOQiyCxlgf/oeuTqixKmWdcYUh4Hjl0a:extra", "exactly three fields"),
            (String(repeating: "n", count: 10_000) + ":admin:$2y$05$x", "a user name is 1 to 64"),
            (
                "an\u{1B}[31ma:admin:$2y$05$abcdefghijklmnopqrstuuOQiyCxlgf/oeuTqixKmWdcYUh4Hjl0a",
                "a user name is 1 to 64"
            ),
        ])
    func strictLines(_ line: String, _ expected: String) {
        guard case .failure(let error) = ConsoleUsers.parse(line, path: "u") else {
            Issue.record("accepted: \(line.prefix(60))")
            return
        }
        #expect(error.description.hasPrefix("u:1: ") && error.description.contains(expected), "\(error.description)")
        #expect(!error.description.contains("uOQiyCxlgf") && error.description.count < 300)
    }

    @Test("sign-ins: a session per sign-in; five failures make the name wait, longer each time")
    func sessions() async throws {
        let sessions = ConsoleSessions()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let user = ConsoleUsers.User(name: "ana", role: .operator, hash: "")
        let token = await sessions.open(user, now: now)
        #expect(await sessions.session(token, now: now.addingTimeInterval(60))?.role == .operator)
        #expect(await sessions.session("forged", now: now) == nil)
        #expect(await sessions.session(token, now: now.addingTimeInterval(60 + ConsoleSessions.idle)) == nil)
        for attempt in 0..<ConsoleSessions.freeFailures {
            #expect(await sessions.wait(for: "Bo", now: now) == nil, "attempt \(attempt) may try")
            await sessions.failed("Bo", now: now)
        }
        #expect(await sessions.wait(for: "bo", now: now) == ConsoleSessions.firstWait)
        #expect(await sessions.wait(for: "ana", now: now) == nil)
        await sessions.failed("bo", now: now.addingTimeInterval(31))
        #expect(await sessions.wait(for: "bo", now: now.addingTimeInterval(31)) == 2 * ConsoleSessions.firstWait)
    }

    @Test("the CSRF token is random per process and compared whole")
    func csrf() {
        let a = ConsoleAccess(login: .none)
        let b = ConsoleAccess(login: .none)
        #expect(a.csrfToken.count == 64 && a.csrfToken != b.csrfToken)
        #expect(a.csrfMatches(a.csrfToken))
        #expect(!a.csrfMatches(String(a.csrfToken.dropLast())) && !a.csrfMatches(nil) && !a.csrfMatches(""))
        #expect(ConsoleAccess.isLoopback("127.0.0.1") && ConsoleAccess.isLoopback("::1"))
        #expect(!ConsoleAccess.isLoopback("0.0.0.0") && !ConsoleAccess.isLoopback("10.0.0.5"))
    }

    @Test("forms decode percent escapes and '+'; each button maps to its decision")
    func forms() throws {
        let form = ConsoleForm(
            "note=a+b%26c%3D&by=J%C3%BCrgen&action=cancel&reason=duplicate&remainder=kill&note=second")
        #expect(form["note"] == "a b&c=" && form["by"] == "Jürgen")
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(try ConsoleForm.parseAction(form, now: now).get() == .cancel(reason: .duplicate, remainder: .kill))
        let hold = ConsoleForm("action=keep-holding&until=2h")
        #expect(try ConsoleForm.parseAction(hold, now: now).get() == .keepHolding(until: now.addingTimeInterval(7200)))
        #expect(
            try ConsoleForm.parseAction(ConsoleForm("action=acknowledge&force=1"), now: now).get()
                == .acknowledge(force: true))
        #expect((try? ConsoleForm.parseAction(ConsoleForm("action=cancel&reason=guard"), now: now).get()) == nil)
        #expect((try? ConsoleForm.parseAction(ConsoleForm("action=keep-holding&until=soon"), now: now).get()) == nil)
        #expect((try? ConsoleForm.parseAction(ConsoleForm("action=drop-table"), now: now).get()) == nil)
    }
}
