import AgentStore
import AgentStoreSQLite
import AgentTesting
import Foundation
import FulfillmentCore

/// The web console's pages over a long decision log: the time each takes to answer over
/// loopback, which is the server's time and a few tenths of a millisecond of the network.
extension Workloads {
    func console() async throws -> [Figure] {
        let count = size(100_000)
        // A copy: `run` writes its cycles into it, and the history figures read the original.
        let db = path("console-\(count).sqlite")
        try? FileManager.default.removeItem(atPath: db)
        try FileManager.default.copyItem(atPath: try await decisionLog(count), toPath: db)
        let store = try AgentDatabase.open(path: db)
        let newest = try require(
            try await store.decisionPage(DecisionFilter(), beforeId: nil, limit: 1).first, "a decision")
        let cancel = try await store.decisionPage(DecisionFilter(decision: .cancel), beforeId: nil, limit: 1).first
        let sandbox = try await SandboxProcess.start(binary: binary, seed: 10, rateLimit: 0, in: directory)
        defer { sandbox.stop() }
        let (agent, base) = try await launchConsole(db: db, sandbox: sandbox, log: "console.err")
        defer { agent.terminate() }
        let sku = newest.row.skus.first ?? "SKU"
        var pages = [
            "/", "/holds", "/decisions", "/decisions?within=all&decision=hold", "/decisions?within=all&sku=\(sku)",
            "/decisions?within=all&fr=\(newest.row.frNumber ?? String(newest.row.frId))",
            "/decisions?within=all&person=nobody", "/fr?q=\(newest.row.frId)", "/answers", "/stock", "/shipments",
            "/reports", "/rules", "/audit", "/shipments?days=0", "/live?source=default&page=holds",
        ]
        if let cancel { pages.append("/decisions?within=all&decision=cancel&before=\(cancel.id)") }
        var figures: [Figure] = []
        for page in pages {
            let runs = try await repeated(warmUp: true) {
                let started = ContinuousClock.now
                guard let reply = await HTTPProbe.get(base + page), reply.status == 200 else {
                    throw BenchmarkError("\(page) did not answer 200")
                }
                return Self.seconds(ContinuousClock.now - started) * 1000
            }
            figures.append(
                Figure(
                    name: "console \(page)", unit: "ms", runs: runs, goal: count == 100_000 ? "≤ 200" : nil,
                    detail: "\(count) decisions, SQLite"))
        }
        figures.append(try await preview(base: base, count: count))
        figures += try await signIns(sandbox: sandbox)
        return figures
    }

    /// A sign-in's time for each hash form at the strength people use: Argon2id as
    /// argon2-cffi writes it by default (RFC 9106's second recommendation, 64 MiB, 3 passes,
    /// 4 lanes) and bcrypt at cost 10 (with `--quick`, a debug build's smoke run, 256 KiB and
    /// cost 5). The password is `bench password`.
    private func signIns(sandbox: SandboxProcess) async throws -> [Figure] {
        let forms =
            options.quick
            ? [
                (
                    "argon", "Argon2id, 256 KiB, t=1, p=1",
                    "$argon2id$v=19$m=256,t=1,p=1$cXVpY2txdWlja3F1aWNr$Msy+E8eSzjb27i3MuqkFGPBYohR5oPLRcj117qt3M6s"
                ),
                ("bcrypt", "bcrypt, cost 5", "$2b$05$wx0qVNzqPOxy/PkSLDb.zuzOVWb4FgRNPectygpTYMZJ/Yzs6As.y"),
            ]
            : [
                (
                    "argon", "Argon2id, 64 MiB, t=3, p=4",
                    "$argon2id$v=19$m=65536,t=3,p=4$1efLdtyxBAPqCxe9sEBPGw$xI1+yK3lDHcmAuAICxv8pDonxcRuaJQ2aSdd7vPgTPM"
                ),
                ("bcrypt", "bcrypt, cost 10", "$2y$10$i.XNVVF.yoy4B2Zb7xwKte0wpTTztPEG9ft14I50TaJkVnssHtMKO"),
            ]
        let users = path("console-users")
        try? FileManager.default.removeItem(atPath: users)
        let lines = forms.map { "\($0.0):viewer:\($0.2)\n" }.joined()
        guard
            FileManager.default.createFile(
                atPath: users, contents: Data(lines.utf8), attributes: [.posixPermissions: 0o600])
        else { throw BenchmarkError("cannot write \(users)") }
        let db = path("sign-in.sqlite")
        try? FileManager.default.removeItem(atPath: db)
        let (agent, base) = try await launchConsole(
            db: db, sandbox: sandbox, log: "sign-in.err", extra: ["--console-users-file", users])
        defer { agent.terminate() }
        let token = try await csrf(base + "/login")
        var figures: [Figure] = []
        for (name, form, _) in forms {
            let runs = try await timedForm(
                base + "/login", [("csrf", token), ("name", name), ("password", "bench password"), ("next", "/")],
                what: "signing in as \(name)"
            ) { status, _ in status == 303 }
            figures.append(
                Figure(name: "console sign-in, \(form)", unit: "ms", runs: runs, goal: nil, detail: "one sign-in"))
        }
        return figures
    }

    /// A rule edit previewed: the last 7 days of the log replayed under the rule file and its
    /// tests run; an action, not a page, so it is shown without the page goal.
    private func preview(base: String, count: Int) async throws -> Figure {
        let token = try await csrf(base + "/rules")
        let text = try String(contentsOfFile: options.rules, encoding: .utf8)
        let runs = try await timedForm(
            base + "/rules/edit",
            [("csrf", token), ("by", "bench"), ("step", "preview"), ("days", "7"), ("text", text)],
            what: "the rule preview"
        ) { status, body in status == 200 && body.contains("decisions replayed") }
        return Figure(
            name: "console rule preview, 7 days", unit: "ms", runs: runs, goal: nil,
            detail: "\(count) decisions in the log, SQLite")
    }

    /// `run` on `db` against the sandbox with the console on a free port, once it answers;
    /// the process and the console's address.
    private func launchConsole(db: String, sandbox: SandboxProcess, log: String, extra: [String] = [])
        async throws -> (ChildProcess, String)
    {
        let port = FreePort.loopback()
        let agent = try ChildProcess.launch(
            binary,
            [
                "run", "--db", db, "--rules", options.rules, "--api-url", sandbox.url, "--max-rps", "0",
                "--interval", "1h", "--console-port", "\(port)",
            ] + extra, environment: ["FLXPOINT_SOURCE_TOKEN": SandboxProcess.token], stderr: path(log))
        let base = "http://127.0.0.1:\(port)"
        for _ in 0..<600 {
            // A users file sends everyone to the sign-in page first; either way the console is up.
            if let status = await HTTPProbe.get(base + "/")?.status, status == 200 || status == 303 {
                return (agent, base)
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        agent.terminate()
        throw BenchmarkError("the console did not start; see \(path(log))")
    }

    /// The CSRF token in the form on the page at `url`.
    private func csrf(_ url: String) async throws -> String {
        let page = try require(await HTTPProbe.get(url)?.body, url)
        return String(try require(page.firstMatch(of: /name="csrf" value="([0-9a-f]+)"/)?.1, "a CSRF token"))
    }

    /// The milliseconds a form post to `url` takes, per run; a reply `accepted` refuses is an error.
    private func timedForm(
        _ url: String, _ fields: [(String, String)], what: String,
        accepted: (Int, String) -> Bool
    ) async throws -> [Double] {
        let body = fields.map { name, value in
            "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }.joined(separator: "&")
        return try await repeated(warmUp: true) {
            let started = ContinuousClock.now
            guard
                let reply = await HTTPProbe.request(
                    url, method: "POST", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: body),
                accepted(reply.status, reply.body)
            else { throw BenchmarkError("\(what) did not answer") }
            return Self.seconds(ContinuousClock.now - started) * 1000
        }
    }
}

/// `#require` without Testing: the value, or a benchmark error.
private func require<T>(_ value: T?, _ what: String = "a value") throws -> T {
    guard let value else { throw BenchmarkError("missing \(what)") }
    return value
}
