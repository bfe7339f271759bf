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
    func basicAuth() {
        let access = ConsoleAccess(passwords: ["ana": "s3cret"], csrfToken: "t")
        func header(_ text: String) -> String { "Basic " + Data(text.utf8).base64EncodedString() }
        #expect(access.person(authorization: header("ana:s3cret")) == .named("ana"))
        #expect(access.person(authorization: header("ana:s3cre")) == .refused)
        #expect(access.person(authorization: header("bo:s3cret")) == .refused)
        #expect(access.person(authorization: nil) == .refused)
        #expect(access.person(authorization: "Basic !!!") == .refused)
        #expect(ConsoleAccess(passwords: nil, csrfToken: "t").person(authorization: nil) == .anyone)
    }

    @Test("the CSRF token is random per process and compared whole")
    func csrf() {
        let a = ConsoleAccess(passwords: nil)
        let b = ConsoleAccess(passwords: nil)
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
