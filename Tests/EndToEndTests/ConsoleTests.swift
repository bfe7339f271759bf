import AgentStore
import AgentStoreSQLite
import AgentTesting
import FlxpointSandbox
import Foundation
import FulfillmentCore
import Testing

/// The web console of `run --console-port`, driven over HTTP and opened in headless Chromium.
@Suite("the web console")
struct ConsoleTests {
    /// The token, and the agent's clock at the sample FRs' morning: their ship-by dates are fixed.
    static let env = ["FLXPOINT_SOURCE_TOKEN": Harness.token].merging(AgentBinary.clock(at: AgentBinary.sampleNow)) {
        $1
    }

    /// A held FR whose every text field tries to become markup.
    static var hostile: FulfillmentRequest {
        var fr = AgentFixture.simpleFRs([("SKU-RED", 1)], firstId: 6660)[0]
        fr.number = "FR-<img src=x onerror=alert(1)>"
        fr.shippingAddress?.name = #"<script>alert("x")</script> Mallory"#
        fr.shippingAddress?.postal = "10001"  // not a Texas ZIP: held for review
        return fr
    }

    static func frs() throws -> [FulfillmentRequest] {
        try HoldQueueCommandTests.sampleFRs() + [hostile]
    }

    struct Console {
        let base: String
        var headers: [(String, String)] = []
        /// The sandbox the agent answers, for its control plane.
        var sandbox = ""

        func get(_ path: String) async -> (status: Int, headers: [(String, String)], body: String)? {
            await HTTPProbe.request(base + path, headers: headers)
        }

        func post(_ path: String, _ fields: [(String, String)]) async -> (status: Int, body: String)? {
            await send(path, fields).map { ($0.status, $0.body) }
        }

        func send(_ path: String, _ fields: [(String, String)]) async -> (
            status: Int, headers: [(String, String)], body: String
        )? {
            let body = fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
            return await HTTPProbe.request(
                base + path, method: "POST",
                headers: headers + [("Content-Type", "application/x-www-form-urlencoded")], body: body)
        }

        /// A `multipart/form-data` POST with text fields and one file, as a browser's upload form sends it.
        func upload(_ path: String, _ fields: [(String, String)], file: (name: String, content: String)) async -> (
            status: Int, body: String
        )? {
            let boundary = "----console-test-\(UUID().uuidString)"
            var body = ""
            for (name, value) in fields {
                body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
            }
            body +=
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.name)\"\r\n"
                + "Content-Type: text/csv\r\n\r\n\(file.content)\r\n--\(boundary)--\r\n"
            return await HTTPProbe.request(
                base + path, method: "POST",
                headers: headers + [("Content-Type", "multipart/form-data; boundary=\(boundary)")], body: body
            ).map { ($0.status, $0.body) }
        }

        /// The CSRF token the console put in its forms.
        func csrf() async -> String? {
            guard let page = await get("/")?.body, let start = page.range(of: #"name="csrf" value=""#) else {
                return nil
            }
            return String(page[start.upperBound...].prefix { $0 != "\"" })
        }

        static func encode(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
        }
    }

    /// Runs the agent with its console against a sandbox of the sample FRs and the hostile one.
    static func withConsole(
        interval: String = "1s", extra: [String] = [], faults: String? = nil, rules: String = "rules.example.yaml",
        _ body: @Sendable (Console, SandboxState, String, RunningAgent) async throws -> Void
    ) async throws {
        let directory = try Scratch.directory("console")
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = directory.appendingPathComponent("agent.sqlite").path
        // The count is imported at the same (fixture) time the agent runs at.
        #expect(
            try await AgentBinary.run(
                ["stock", "import", "examples/stock-sample.csv", "--db", db], environment: env
            ).status == 0)
        let port = FreePort.loopback()
        try await Harness.withSandbox(frs: try frs()) { url, sandbox in
            if let faults {
                let set = await HTTPProbe.post(url + "/_sandbox/faults", json: Data(faults.utf8), method: "PUT")
                #expect(set?.status == 200)
            }
            let agent = try AgentBinary.launch(
                [
                    "run", "--db", db, "--rules", rules, "--api-url", url, "--max-rps", "0",
                    "--interval", interval, "--console-port", String(port),
                ] + extra, environment: env)
            defer { agent.stopInBackground() }
            let console = Console(base: "http://127.0.0.1:\(port)", sandbox: url)
            // Until it answers or the agent has exited; a minute only catches a hang (a loaded
            // machine has taken more than 20 s to start an agent while the whole suite ran).
            var up = false
            _ = await RunningAgent.eventually(timeout: .seconds(60)) {
                guard let reply = await console.get("/holds") else { return !agent.isRunning }
                up = reply.status == 401 || reply.status == 303 || reply.body.contains("id=\"fr-6660\"")
                return up
            }
            #expect(up, "the console never answered; the agent said: \(agent.stderr.suffix(1500))")
            try await body(console, sandbox, db, agent)
        }
    }

    @Test("pages escape everything from an FR; forms need the CSRF token and a name; actions are logged")
    func formsOverHTTP() async throws {
        let metricsPort = FreePort.loopback()
        // A long interval: the answer can only go out in time because the console wakes the agent.
        try await Self.withConsole(interval: "5m", extra: ["--metrics-port", String(metricsPort)]) {
            console, sandbox, db, agent in
            let overview = try #require(await console.get("/"))
            #expect(overview.status == 200 && overview.body.contains("<h2>Holds by age</h2>"))
            let policy = overview.headers.first { $0.0.lowercased() == "content-security-policy" }?.1
            #expect(policy?.contains("default-src 'none'") == true && policy?.contains("form-action 'self'") == true)

            let holds = try #require(await console.get("/holds")).body
            #expect(holds.contains("FR-1004") && holds.contains("address-needs-review"))
            #expect(holds.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Mallory"))
            #expect(holds.contains("FR-&lt;img src=x onerror=alert(1)&gt;"))
            // One script only, the console's own: nothing from an FR became markup.
            #expect(holds.components(separatedBy: "<script").count == 2 && !holds.contains("<img"))
            let search = try #require(await console.get("/fr?q=6660")).body
            #expect(search.contains("why:") && search.contains("name=\"fr\" value=\"6660\""))
            #expect(!search.contains("<img"))
            let missing = try #require(await console.get("/fr?q=%3Cscript%3Ex")).body
            #expect(missing.contains("No decision is stored for FR &lt;script&gt;x") && !missing.contains("<script>x"))

            let token = try #require(await console.csrf())
            let acknowledge = [("fr", "1004"), ("action", "acknowledge"), ("by", "cy"), ("note", "fixed <b>it</b>")]
            #expect(await console.post("/decide", acknowledge)?.status == 403)
            #expect(
                await console.post(
                    "/decide", acknowledge + [("csrf", String(token.dropLast()) + (token.hasSuffix("a") ? "b" : "a"))])?
                    .status == 403)
            #expect(
                await console.post("/decide", [("csrf", token), ("fr", "1004"), ("action", "acknowledge")])?.status
                    == 400)
            #expect(try await AgentDatabase.open(path: db).decisions(forFR: "1004").count == 1)

            let done = try #require(await console.send("/decide", acknowledge + [("csrf", token)]))
            #expect(done.status == 200 && done.body.contains("decided by cy"))
            // The browser keeps the name; the next page fills it in (escaped like everything else).
            let cookie = try #require(done.headers.first { $0.0.lowercased() == "set-cookie" }?.1)
            #expect(
                cookie.hasPrefix("console_name=cy;") && cookie.contains("HttpOnly")
                    && cookie.contains("SameSite=Strict"))
            var remembered = console
            remembered.headers = [("Cookie", "console_name=%3Cb%3Ecy")]
            #expect(
                try #require(await remembered.get("/holds")).body.contains(#"name="by" required value="&lt;b&gt;cy""#))
            #expect(done.body.contains("fixed &lt;b&gt;it&lt;/b&gt;"))
            #expect(await RunningAgent.eventually(timeout: .seconds(10)) { await sandbox.stats().answers["1004"] == 1 })
            let again = try #require(await console.post("/decide", acknowledge + [("csrf", token)]))
            #expect(again.status == 409 && again.body.contains("already answered"))
            let badReason = [("csrf", token), ("fr", "1003"), ("action", "cancel"), ("reason", "guard"), ("by", "cy")]
            #expect(await console.post("/decide", badReason)?.status == 400)

            let keep = [("csrf", token), ("fr", "6660"), ("action", "keep-holding"), ("until", "2h"), ("by", "cy")]
            #expect(await console.post("/decide", keep)?.status == 200)
            #expect(try #require(await console.get("/holds")).body.contains("rule manual (cy)"))
            // /metrics counts the holds by age and the decisions by person, as of the last cycle.
            #expect(
                await RunningAgent.eventually {
                    let metrics = await HTTPProbe.get("http://127.0.0.1:\(metricsPort)/metrics")?.body ?? ""
                    return metrics.contains(#"source_agent_manual_decisions{source="default",by="cy"} 2"#)
                        && metrics.contains(#"source_agent_holds_by_age{source="default",age="under_1h"} 3"#)
                        && metrics.contains(#"source_agent_holds_by_age{source="default",age="over_24h"} 0"#)
                })

            let pauseFile = (db as NSString).deletingLastPathComponent + "/PAUSE"
            #expect(await console.post("/pause", [("csrf", token)])?.status == 400)
            #expect(await console.post("/pause", [("csrf", token), ("by", "cy")])?.status == 200)
            #expect((try? String(contentsOfFile: pauseFile, encoding: .utf8))?.contains("by cy (web console)") == true)
            #expect(try #require(await console.get("/")).body.contains("Resume answering"))
            #expect(await console.post("/resume", [("csrf", token), ("by", "cy")])?.status == 200)
            #expect(!FileManager.default.fileExists(atPath: pauseFile))

            let log = agent.stderr
            #expect(log.contains("console action") && log.contains("actor=cy") && log.contains("console.action=pause"))
            #expect(log.contains("console form refused: missing or wrong CSRF token"))
            #expect(await sandbox.stats().duplicates == 0)
        }
    }

    @Test("each page, opened in headless Chromium, shows its content and runs nothing from an FR")
    func chromium() async throws {
        try TestTool.chromium.require()
        try await Self.withConsole { console, _, _, _ in
            let overview = try await Chromium.dumpDOM(console.base + "/")
            #expect(overview.contains("<h1>Overview</h1>") && overview.contains("Holds by age"))
            #expect(overview.contains("Decisions taken by people") && overview.contains("Pause answering"))
            let holds = try await Chromium.dumpDOM(console.base + "/holds")
            #expect(holds.contains("Hold queue (4)") && holds.contains("FR-1010"))
            #expect(holds.contains(">Keep holding</button>") && holds.contains("Trace and facts"))
            #expect(holds.contains("&lt;script&gt;alert(\"x\")&lt;/script&gt; Mallory"))
            // One script: the console's own, which keeps the queue current.
            #expect(holds.components(separatedBy: "<script").count == 2 && !holds.contains("<img"))
            let explain = try await Chromium.dumpDOM(console.base + "/fr?q=FR-1004")
            #expect(explain.contains("FR-1004 (id 1004) → HOLD by rule address-needs-review"))
            #expect(explain.contains("is on hold and waiting for a person"))
        }
    }

    @Test("the decision list filters and pages; an FR's page shows it as received, its answer and its units")
    func decisionsAndFRPage() async throws {
        try await Self.withConsole { console, _, db, _ in
            let store = try AgentDatabase.open(path: db)
            let acknowledged = try #require(
                try await store.decisionPage(DecisionFilter(decision: .acknowledge), beforeId: nil, limit: 1).first)
            let all = try #require(await console.get("/decisions"))
            #expect(all.status == 200 && all.body.contains("<h1>Decisions</h1>"))
            #expect(all.body.contains(">FR-1004</a>") && all.body.contains(">\(acknowledged.row.frNumber ?? "")</a>"))
            #expect(all.body.contains("FR-&lt;img src=x onerror=alert(1)&gt;") && !all.body.contains("<img"))
            let holds = try #require(await console.get("/decisions?decision=hold&within=24h")).body
            #expect(holds.contains(">FR-1004</a>") && holds.contains("<td>hold</td>"))
            #expect(!holds.contains("<td>acknowledge</td>") && holds.contains(#"<option value="hold" selected>"#))
            let one = try #require(await console.get("/decisions?fr=FR-1004")).body
            #expect(one.contains(">FR-1004</a>") && !one.contains("FR-1010"))
            // A SKU with a formula and markup finds nothing, and comes back escaped in the box.
            let odd = try #require(await console.get("/decisions?sku=%3D1%2B2%3Cb%3E")).body
            #expect(odd.contains("No decision matches.") && odd.contains(#"value="=1+2&lt;b&gt;""#))
            // Paging: one row per page would be too slow to set up; a `before` below every id is empty.
            #expect(try #require(await console.get("/decisions?before=1")).body.contains("No decision matches."))

            #expect(
                await RunningAgent.eventually {
                    (try? await store.answers(forFR: acknowledged.row.frId).first?.state) == .done
                })
            let page = try #require(await console.get("/fr?q=\(acknowledged.row.frId)")).body
            #expect(page.contains("<h2>As received</h2>") && page.contains("Ship by"))
            let kind = try #require(try await store.answers(forFR: acknowledged.row.frId).first).kind.rawValue
            #expect(page.contains("<dt>Answer</dt><dd>\(kind): done") && page.contains("Units held for it"))
            let held = try await store.heldUnits(frId: acknowledged.row.frId)
            for (sku, units) in held { #expect(page.contains("<th>\(sku)</th><td>\(units)</td>")) }
            // As served: every character of the name escaped, quotes included.
            let hostile = try #require(await console.get("/fr?q=6660")).body
            #expect(hostile.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Mallory"))
            #expect(!hostile.contains("<img"))
        }
    }

    @Test("the answers page lists failed answers with why; retry, one or all, has the FRs decided again and sent")
    func answersAndRetry() async throws {
        // Flxpoint refuses every answer (422) until the faults are lifted: they wait, backing off.
        try await Self.withConsole(faults: #"{"force_status": 422, "scope": "writes"}"#) {
            console, sandbox, db, agent in
            let store = try AgentDatabase.open(path: db)
            var tried: [Int] = []
            #expect(
                await RunningAgent.eventually {
                    tried = ((try? await store.outbox()) ?? []).filter { $0.state == .pending && $0.attempts > 0 }
                        .map(\.frId)
                    return tried.count >= 2
                })
            // Meanwhile someone acknowledges two of them in Flxpoint: at their next try (after the
            // back-off) the agent reads them back and fails its answers, for a person to look at.
            let elsewhere = Array(tried.prefix(2))
            func patch(_ id: Int, _ json: String) async {
                let reply = await HTTPProbe.post(
                    console.sandbox + "/_sandbox/fulfillment-requests/\(id)", json: Data(json.utf8), method: "PATCH")
                #expect(reply?.status == 200)
            }
            for id in elsewhere { await patch(id, #"{"acknowledgedAt": "2026-11-27T15:00:00Z"}"#) }
            #expect(
                await RunningAgent.eventually(timeout: .seconds(90)) {
                    ((try? await store.answers(state: .failed, limit: 10).count) ?? 0) == 2
                })
            let page = try #require(await console.get("/answers")).body
            #expect(page.contains("<h2>Failed (2)</h2>") && page.contains("already answered outside this agent"))
            for id in elsewhere { #expect(page.contains(#"name="fr[]" value="\#(id)""#)) }
            let token = try #require(await console.csrf())
            #expect(await console.post("/retry", [("fr", "\(elsewhere[0])"), ("by", "cy")])?.status == 403)
            #expect(await console.post("/retry", [("csrf", token), ("by", "cy")])?.status == 400)
            // The acknowledgement is undone upstream and the faults lifted: a retry now answers.
            for id in elsewhere { await patch(id, #"{"acknowledgedAt": null}"#) }
            let lifted = await HTTPProbe.post(
                console.sandbox + "/_sandbox/faults", json: Data(#"{"force_status": null}"#.utf8), method: "PUT")
            #expect(lifted?.status == 200)
            let one = try #require(
                await console.post("/retry", [("csrf", token), ("fr[]", "\(elsewhere[0])"), ("by", "cy")]))
            #expect(one.status == 200 && one.body.contains("1 FR will be decided again now, retried by cy"))
            #expect(await RunningAgent.eventually { await sandbox.stats().answers["\(elsewhere[0])"] == 1 })
            let all = try #require(await console.post("/retry", [("csrf", token), ("all", "1"), ("by", "cy")]))
            #expect(all.status == 200 && all.body.contains("1 FR will be decided again now"))
            #expect(await RunningAgent.eventually { await sandbox.stats().answers["\(elsewhere[1])"] == 1 })
            #expect(try #require(await console.get("/answers")).body.contains("No answer failed."))
            let none = try #require(await console.post("/retry", [("csrf", token), ("all", "1"), ("by", "cy")]))
            #expect(none.status == 409 && none.body.contains("nothing to retry"))
            #expect(agent.stderr.contains("console.action=retry"))
            #expect(await sandbox.stats().duplicates == 0)
        }
    }

    @Test("reports: the decision report for a window as a page whose own script alone runs, and CSV and JSON downloads")
    func reports() async throws {
        try await Self.withConsole { console, _, _, _ in
            let page = try #require(await console.get("/reports?since=30d"))
            #expect(page.status == 200 && page.body.contains(#"href="/reports/csv?source=default&amp;since=30d"#))
            let bad = try #require(await console.get("/reports?since=yesterday-ish")).body
            #expect(bad.contains("class=\"refused\"") && !bad.contains("/reports/csv"))
            #expect(await console.get("/reports/csv?since=yesterday-ish")?.status == 400)
            #expect(await console.get("/reports/pdf")?.status == 404)

            let csv = try #require(await console.get("/reports/csv?since=30d"))
            #expect(csv.status == 200 && csv.body.contains("FR-1004"))
            let disposition = csv.headers.first { $0.0.lowercased() == "content-disposition" }?.1 ?? ""
            #expect(disposition.hasPrefix("attachment; filename=\"decisions-default-from-"))
            let json = try #require(await console.get("/reports/json?since=30d"))
            let parsed = try JSONSerialization.jsonObject(with: Data(json.body.utf8)) as? [String: Any]
            let rows = try #require(parsed?["decisions"] as? [[String: Any]])
            #expect(rows.count >= 12)

            // The report's sort-and-filter script runs (it applies the filter in the address);
            // nothing from an FR does.
            let html = try #require(await console.get("/reports/html?since=30d"))
            let policy = html.headers.first { $0.0.lowercased() == "content-security-policy" }?.1 ?? ""
            #expect(policy.contains("script-src 'sha256-") && !policy.contains("unsafe-inline'; script"))
            // The page's own script filters it (in a browser; the `chromium` test says when there is none).
            if try TestTool.chromium.available() {
                let dom = try await Chromium.dumpDOM(console.base + "/reports/html?since=30d#filter=FR-1004")
                #expect(dom.contains(#"<span id="shown">1</span> of \#(rows.count) shown"#))
                #expect(!dom.contains("<img"))
            }
        }
    }

    @Test("stock: per SKU and location the count, held, shipped since, free and last pushed; a search; the pools")
    func stock() async throws {
        try await Self.withConsole { console, _, db, _ in
            let positions = try await AgentDatabase.open(path: db).stockPositions()
            let held = try #require(positions.first { $0.held > 0 })
            let page = try #require(await console.get("/stock")).body
            #expect(page.contains("<h1>Stock</h1>") && page.contains("\(positions.count) row(s)"))
            #expect(
                page.contains(
                    "<tr><td>\(held.sku)</td><td>\(held.location)</td><td>\(held.counted)</td><td>\(held.held)</td>"
                        + "<td>\(held.shipped)</td>"))
            #expect(page.contains("<td>shared</td><td>default</td>"))
            let narrowed = try #require(await console.get("/stock?q=\(held.sku.prefix(5))")).body
            let expected = positions.filter { $0.sku.localizedCaseInsensitiveContains(held.sku.prefix(5)) }.count
            #expect(narrowed.contains("\(expected) row(s)"))
            let hostile = try #require(await console.get("/stock?q=%3Cscript%3E")).body
            #expect(hostile.contains("0 row(s)") && hostile.contains(#"value="&lt;script&gt;""#))
            // Kits: how many the free components build, the limiting one named; names escaped.
            #expect(!page.contains("<h2>Kits</h2>"))
            let store = try AgentDatabase.open(path: db)
            try await store.replaceKits(
                [Kit(sku: "<b>SET", components: [.init(sku: held.sku, quantity: 2)])], source: "kits.csv", pool: nil,
                at: Date())
            let free = try await store.loadLedger().promisable(sku: held.sku, safetyStock: 0)
            let kits = try #require(await console.get("/stock")).body
            #expect(kits.contains("<h2>Kits</h2>") && !kits.contains("<b>SET"))
            let buildable = free / 2 == 0 ? #"<td class="warn">0</td>"# : "<td>\(free / 2)</td>"
            #expect(
                kits.contains("<td>&lt;b&gt;SET</td>\(buildable)<td>2 × \(held.sku) (\(free) free, limits)</td>"),
                "\(kits)")
        }
    }

    @Test("a stock count uploaded: bad lines named and nothing written; a preview of what changes; confirmed, imported")
    func stockUpload() async throws {
        try await Self.withConsole { console, _, db, agent in
            let store = try AgentDatabase.open(path: db)
            let before = try await store.stockPositions().map { "\($0.sku)@\($0.location)=\($0.counted)" }
            let token = try #require(await console.csrf())
            let bad = "sku,on_hand,location\nSKU-RED,12,dallas\nSKU-BLUE,lots,dallas\n"
            let refused = try #require(
                await console.upload("/stock/preview", [("csrf", token), ("by", "cy")], file: ("count.csv", bad)))
            #expect(
                refused.status == 400 && refused.body.contains("count.csv:3:")
                    && refused.body.contains("Nothing was written"))
            #expect(
                await console.upload("/stock/preview", [("by", "cy")], file: ("count.csv", bad))?.status == 403)
            // RED up, BLUE down, a new SKU; GREEN and FRT-100 left out (GOLD, at 0, too: no change).
            let good = "sku,on_hand,location\nSKU-RED,12,dallas\nSKU-BLUE,1,dallas\nSKU-<b>NEW,4,dallas\n"
            let preview = try #require(
                await console.upload("/stock/preview", [("csrf", token), ("by", "cy")], file: ("count.csv", good)))
            #expect(preview.status == 200 && preview.body.contains("3 rows: 1 up, 1 down, 1 new, 2 missing"))
            #expect(preview.body.contains("<td>SKU-RED</td><td>dallas</td><td>10 → 12</td>"))
            #expect(preview.body.contains("SKU-&lt;b&gt;NEW") && !preview.body.contains("<b>NEW"))
            #expect(try await store.stockPositions().map { "\($0.sku)@\($0.location)=\($0.counted)" } == before)
            let start = try #require(preview.body.range(of: #"name="token" value=""#))
            let upload = String(preview.body[start.upperBound...].prefix { $0 != "\"" })
            let confirm = [("csrf", token), ("token", upload), ("by", "cy"), ("allow_shrink", "1")]
            let done = try #require(await console.post("/stock/import", confirm))
            #expect(done.status == 200 && done.body.contains("Imported 3 rows from count.csv"))
            let after = try await store.stockPositions().filter { $0.counted > 0 }
            #expect(after.map(\.sku).sorted() == ["SKU-<b>NEW", "SKU-BLUE", "SKU-RED"])
            #expect(after.first { $0.sku == "SKU-RED" }?.counted == 12)
            #expect(await console.post("/stock/import", confirm)?.status == 409)
            #expect(agent.stderr.contains("console.action=stock-import"))
        }
    }

    @Test("a tracking file uploaded: unreadable lines named and nothing written; a good one imported and listed")
    func trackingUpload() async throws {
        try await Self.withConsole { console, sandbox, db, _ in
            #expect(
                await RunningAgent.eventually {
                    let answered = await sandbox.stats().answers
                    return answered["1001"] == 1 && answered["1005"] == 1
                })
            let store = try AgentDatabase.open(path: db)
            let token = try #require(await console.csrf())
            let bad = "fr,sku,quantity,tracking_number\nFR-1001,SKU-RED,2,1Z1\nFR-1001,SKU-RED,two,1Z1\n"
            let refused = try #require(
                await console.upload("/shipments/upload", [("csrf", token), ("by", "cy")], file: ("track.csv", bad)))
            #expect(
                refused.status == 400 && refused.body.contains("track.csv:3:")
                    && refused.body.contains("nothing was written"))
            #expect(try await store.shipments().isEmpty)
            // The sample less its last line (a quantity of "one"); FR-9999 (line 5) is no FR we know.
            let sample = try String(contentsOfFile: "examples/tracking-sample.csv", encoding: .utf8)
            let good = sample.split(separator: "\n").prefix(5).joined(separator: "\n") + "\n"
            let done = try #require(
                await console.upload(
                    "/shipments/upload", [("csrf", token), ("by", "cy")], file: ("tracking-sample.csv", good)))
            // FR-1001 ships; 1005's second line is more than was acknowledged (its shipment waits
            // whole); FR-9999 is unknown: each refused row named by its line, the rest sent.
            #expect(done.status == 200 && done.body.contains("1 shipment sent, 0 already sent, 2 rejected"))
            #expect(
                done.body.contains("tracking-sample.csv:3,4: shipment") && done.body.contains("tracking-sample.csv:5:"))
            let page = try #require(await console.get("/shipments")).body
            #expect(page.contains("1Z999AA10123456784 UPS") && page.contains("tracking-sample.csv"))
            #expect(try await store.shipments().map(\.trackingNumber) == ["1Z999AA10123456784"])
        }
    }

    @Test("with a password file: basic auth, the login names the actor; off loopback it is required")
    func basicAuth() async throws {
        let directory = try Scratch.directory("console-auth")
        defer { try? FileManager.default.removeItem(at: directory) }
        let passwords = directory.appendingPathComponent("console-passwords").path
        try "# people who may decide\nana:s3cret\n".write(toFile: passwords, atomically: true, encoding: .utf8)
        chmod(passwords, 0o644)
        let open = try await AgentBinary.run(["run", "--console-port", "1", "--console-password-file", passwords])
        #expect(open.status == 2 && open.stderr.contains("is readable by others"))
        chmod(passwords, 0o600)
        let exposed = try await AgentBinary.run(["run", "--console-port", "1", "--console-host", "0.0.0.0"])
        #expect(
            exposed.status == 2 && exposed.stderr.contains("give it console_users_file or console_password_file"))

        try await Self.withConsole(extra: ["--console-password-file", passwords]) { console, _, db, _ in
            let anonymous = try #require(await console.get("/"))
            #expect(anonymous.status == 401)
            #expect(anonymous.headers.contains { $0.0.lowercased() == "www-authenticate" && $0.1.hasPrefix("Basic") })
            var wrong = console
            wrong.headers = [("Authorization", "Basic " + Data("ana:guess".utf8).base64EncodedString())]
            #expect(await wrong.get("/")?.status == 401)
            var ana = console
            ana.headers = [("Authorization", "Basic " + Data("ana:s3cret".utf8).base64EncodedString())]
            let page = try #require(await ana.get("/holds"))
            #expect(page.status == 200 && page.body.contains("signed in as ana") && !page.body.contains("Your name"))
            let token = try #require(await ana.csrf())
            #expect(
                await console.post("/decide", [("csrf", token), ("fr", "1003"), ("action", "split")])?.status == 401)
            let decided = try #require(
                await ana.post("/decide", [("csrf", token), ("fr", "1003"), ("action", "acknowledge"), ("by", "eve")]))
            #expect(decided.status == 200 && decided.body.contains("decided by ana"))
            #expect(try await AgentDatabase.open(path: db).decisions(forFR: "1003").last?.decidedBy == "ana")
        }
    }
}
