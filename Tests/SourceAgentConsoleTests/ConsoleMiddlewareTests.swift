import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import Testing

@testable import SourceAgentConsole

/// The console's middleware in-process, through Hummingbird's test client: the same sign-in,
/// role and CSRF middleware the console's router uses, before routes that only say "done".
@Suite("Web console: sign-in, role and CSRF middleware")
struct ConsoleMiddlewareTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// A router shaped like the console's: a page for people let in, an operator's form.
    static func router(_ access: ConsoleAccess) -> Router<ConsoleRequestContext> {
        let refuse: @Sendable (HTTPResponse.Status, String) -> Response = { ConsoleResponses.plain($0, $1) }
        let router = Router(context: ConsoleRequestContext.self)
        router.add(middleware: ConsoleAuthenticator(access: access, clock: { Self.now }))
        let people = router.group().add(middleware: SignInRequired(access: access))
        people.get("page") { _, context in ConsoleResponses.plain(.ok, context.csrfToken) }
        let forms = CSRFGuard(logger: Logger(label: "test"), refuse: refuse)
        people.group().add(middleware: RoleRequired(role: .operator, refuse: refuse)).add(middleware: forms)
            .post("act") { request, _ in
                var request = request
                let form = try await ConsoleForms.decode(PersonForm.self, from: &request)
                return ConsoleResponses.plain(.ok, "done by \(form.by ?? "?")")
            }
        return router
    }

    static func users() throws -> ConsoleUsers { try ConsoleUsers.parse(ConsoleAccessTests.usersFile, path: "u").get() }

    static func form(_ fields: [(String, String)]) -> ByteBuffer {
        ByteBuffer(
            string: fields.map {
                "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
            }.joined(separator: "&"))
    }

    static let formType: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    @Test("someone not signed in is sent to the sign-in form, back to the page asked for; basic auth gets the prompt")
    func signIn() async throws {
        let users = Application(router: Self.router(ConsoleAccess(login: .users(try Self.users()))))
        try await users.test(.router) { client in
            try await client.execute(uri: "/page?source=a", method: .get) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/login?next=%2Fpage%3Fsource%3Da")
            }
            try await client.execute(uri: "/act", method: .post, headers: Self.formType) { response in
                #expect(response.status == .seeOther)
            }
        }
        let basic = Application(router: Self.router(ConsoleAccess(login: .passwords(["ana": "pw"]))))
        try await basic.test(.router) { client in
            try await client.execute(uri: "/page", method: .get) { response in
                #expect(
                    response.status == .unauthorized && response.headers[.wwwAuthenticate]?.hasPrefix("Basic") == true)
            }
        }
    }

    @Test("a form needs the role, the session's own token and the console's origin; each refusal is 403")
    func forms() async throws {
        let users = try Self.users()
        let access = ConsoleAccess(login: .users(users))
        let viewer = await access.sessions.open(try #require(users.users["vic"]), now: Self.now)
        let acting = await access.sessions.open(try #require(users.users["yul"]), now: Self.now)
        let app = Application(router: Self.router(access))
        try await app.test(.router) { client in
            func token(_ session: String) async throws -> String {
                try await client.execute(
                    uri: "/page", method: .get, headers: [.cookie: "console_session=\(session)"]
                ) { String(buffer: $0.body) }
            }
            let viewerToken = try await token(viewer)
            let operatorToken = try await token(acting)
            #expect(viewerToken.count == 64 && viewerToken != operatorToken)

            func post(_ session: String, _ csrf: String, extra: HTTPFields = [:]) async throws -> (Int, String) {
                var headers = Self.formType
                headers[.cookie] = "console_session=\(session)"
                headers[HTTPField.Name("Host")!] = "console.example:8080"
                headers.append(contentsOf: extra)
                return try await client.execute(
                    uri: "/act", method: .post, headers: headers, body: Self.form([("csrf", csrf), ("by", "x")])
                ) { (Int($0.status.code), String(buffer: $0.body)) }
            }
            #expect(try await post(viewer, viewerToken).0 == 403)
            #expect(try await post(viewer, viewerToken).1.contains("needs the operator role"))
            #expect(try await post(acting, viewerToken).0 == 403)
            #expect(try await post(acting, "").0 == 403)
            #expect(try await post(acting, String(operatorToken.dropLast())).0 == 403)
            #expect(try await post(acting, operatorToken) == (200, "done by x"))
            #expect(try await post(acting, operatorToken, extra: [.origin: "http://evil.example"]).0 == 403)
            #expect(try await post(acting, operatorToken, extra: [.origin: "null"]).0 == 403)
            #expect(try await post(acting, operatorToken, extra: [.referer: "http://evil.example/x"]).0 == 403)
            #expect(try await post(acting, operatorToken, extra: [.origin: "http://console.example:8080"]).0 == 200)
            #expect(
                try await post(acting, operatorToken, extra: [.referer: "https://console.example:8080/holds"]).0
                    == 200)
            // Behind a proxy the host the browser saw is the forwarded one.
            #expect(
                try await post(
                    acting, operatorToken,
                    extra: [.origin: "https://agent.example", HTTPField.Name("X-Forwarded-Host")!: "agent.example"]
                ).0 == 200)
        }
    }

    @Test("an upload form carries its token in a multipart field; a body past the limit is refused unread")
    func uploads() async throws {
        let access = ConsoleAccess(login: .none, sharedToken: String(repeating: "a", count: 64))
        let app = Application(router: Self.router(access))
        try await app.test(.router) { client in
            func upload(_ csrf: String) async throws -> Int {
                let body =
                    "--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(csrf)\r\n"
                    + "--b\r\nContent-Disposition: form-data; name=\"by\"\r\n\r\ncy\r\n--b--\r\n"
                return try await client.execute(
                    uri: "/act", method: .post, headers: [.contentType: "multipart/form-data; boundary=b"],
                    body: ByteBuffer(string: body)
                ) { Int($0.status.code) }
            }
            #expect(try await upload(access.sharedToken) == 200)
            #expect(try await upload("b" + access.sharedToken.dropFirst()) == 403)
            let huge = ByteBuffer(repeating: UInt8(ascii: "x"), count: ConsoleForms.formLimit + 1)
            let status = try await client.execute(uri: "/act", method: .post, headers: Self.formType, body: huge) {
                $0.status
            }
            #expect(status == .forbidden || status == .contentTooLarge)
        }
    }

    @Test("password checks run on their own threads, a bounded number at a time: the cooperative pool stays free")
    func passwordChecks() async throws {
        let checks = PasswordChecks()
        let release = DispatchSemaphore(value: 0)
        let started = Started()
        let capacity = PasswordChecks.threads + PasswordChecks.waiting
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<capacity {
                group.addTask {
                    try await checks.run {
                        started.count.withLock { $0 += 1 }
                        release.wait()
                        return true
                    }
                }
            }
            // Wait until the two threads are busy: the checks block them, not the pool's.
            while started.count.withLock({ $0 }) < PasswordChecks.threads { await Task.yield() }
            // Ordinary work still runs while every check thread is blocked.
            let elsewhere = await Task.detached { (1...1000).reduce(0, +) }.value
            #expect(elsewhere == 500_500)
            // One more than the bound is refused at once instead of queued.
            await #expect(throws: PasswordChecks.Busy.self) { try await checks.run { true } }
            for _ in 0..<capacity { release.signal() }
            var finished = 0
            for try await ok in group where ok { finished += 1 }
            #expect(finished == capacity)
        }
        #expect(try await checks.run { 7 } == 7)
        await checks.shutdown()
    }

    /// How many checks have begun, shared with them.
    final class Started: Sendable {
        let count = Mutex(0)
    }
}
