// Console: the web console a person acts in: hold queue, decisions, answers.

import AgentStore
import Foundation
import FulfillmentCore
import HTTPTypes
import Hummingbird
import Logging
import ServiceLifecycle
import SourceAgent

/// `run --console-port`: the web console. Pages are read-only GETs; every change (a decision,
/// pause, resume) is a form POST that must carry the CSRF token and is logged with its actor.
/// Decisions go through `ManualDecisions`, like `source-agent decide`; the console then wakes
/// the agent, whose next cycle (starting within a fraction of a second) sends the answer.
struct ConsoleServer: Service {
    /// Stock counts previewed and waiting for a person's confirmation.
    let stockUploads = StockUploads()
    /// Imports a tracking file as `tracking import` does (every source's route).
    let tracking: TrackingImport?
    let host: String
    let port: Int
    let view: ConsoleView
    let wake: CycleWake
    let logger: Logger
    /// Called with the bound port once the server listens (tests and the start-up log).
    var onListening: @Sendable (Int) async -> Void = { _ in }

    var access: ConsoleAccess { view.access }

    func run() async throws {
        let router = Router()
        router.get("/") { request, _ in
            try await page(request, live: "overview") { person, source in
                ("overview", try await view.overview(person: person, source: source))
            }
        }
        router.get("holds") { request, _ in
            try await page(request, live: "holds") { person, source in
                ("holds", try await view.holds(person: person, source: source))
            }
        }
        router.get("decisions") { request, _ in
            let query = Self.query(request)
            return try await page(request) { person, source in
                (
                    "decisions",
                    try await view.decisions(query: query, person: person, source: source, now: AgentClock.now())
                )
            }
        }
        router.get("fr") { request, _ in
            let query = (request.uri.queryParameters.get("q") ?? "").trimmingCharacters(in: .whitespaces)
            return try await page(request) { person, source in
                ("fr", try await view.fr(query, person: person, source: source))
            }
        }
        router.post("decide") { request, _ in
            try await action(request, needs: .operator) { person, form in try await decide(form, person: person) }
        }
        router.get("answers") { request, _ in
            try await page(request) { person, source in
                ("answers", try await view.answers(person: person, source: source))
            }
        }
        router.post("retry") { request, _ in
            try await action(request, needs: .operator) { person, form in try await retry(form, person: person) }
        }
        router.get("stock") { request, _ in
            let query = Self.query(request)
            return try await page(request) { person, source in
                ("stock", try await view.stock(query: query, person: person, source: source))
            }
        }
        router.get("reports") { request, _ in
            let query = Self.query(request)
            return try await page(request) { person, source in
                ("reports", ConsoleReports(view: view).page(query: query, person: person, source: source))
            }
        }
        router.get("reports/:format") { request, context in
            let person = await person(request)
            if person == .refused { return signIn(request) }
            let query = Self.query(request)
            let format = context.parameters.get("format") ?? ""
            let reply = try await ConsoleReports(view: view).download(
                format, query: query, source: view.source(query["source"]))
            return reply ?? Self.html(.notFound, "no such report format\n")
        }
        router.get("shipments") { request, _ in
            let query = Self.query(request)
            return try await page(request) { person, source in
                (
                    "shipments",
                    try await view.shipments(query: query, person: person, source: source, now: AgentClock.now())
                )
            }
        }
        router.post("shipments/upload") { request, _ in try await uploadTracking(request) }
        router.post("stock/preview") { request, _ in try await previewStock(request) }
        router.post("stock/import") { request, _ in
            try await action(request, needs: .operator) { person, form in
                try await importStock(form, person: person)
            }
        }
        router.post("pause") { request, _ in
            try await action(request, needs: .operator) { person, _ in try await setPause(true, person: person) }
        }
        router.post("resume") { request, _ in
            try await action(request, needs: .operator) { person, _ in try await setPause(false, person: person) }
        }
        addSignIn(router)
        addRules(router)
        addLive(router)
        addAudit(router)
        let onListening = self.onListening
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port)),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) }, logger: logger)
        try await ListenFailure.run(
            app, what: "console", host: host, port: port, setting: "--console-port or console_port")
    }

    /// A request's query parameters, decoded; a repeated one keeps its last value.
    static func query(_ request: Request) -> [String: String] {
        Dictionary(request.uri.queryParameters.map { (String($0.key), String($0.value)) }, uniquingKeysWith: { $1 })
    }

    /// A GET page, once the person is let in. A `live` page (see `ConsoleLive`) carries the
    /// stamp of what it shows, taken before it is read, and the script that keeps it current.
    func page(
        _ request: Request, live: String? = nil,
        _ build: (ConsoleAccess.Person, SourceRuntime) async throws -> (String, [String: Any])
    ) async throws -> Response {
        let person = await person(request)
        if person == .refused { return signIn(request) }
        let source = view.source(request.uri.queryParameters.get("source"))
        var stamp: String?
        if let live { stamp = try await liveStamp(source, page: live) }
        var (template, context) = try await build(person, source)
        context["rememberedName"] = Self.rememberedName(request)
        if let stamp {
            context["live"] = stamp
            context["livePage"] = live
        }
        var response = Self.html(.ok, ConsoleTemplates.render(template, context))
        if stamp != nil { response.headers[.contentSecurityPolicy] = ConsoleLive.securityPolicy }
        return response
    }

    /// The person behind a request (see `ConsoleAccess.person`).
    func person(_ request: Request) async -> ConsoleAccess.Person {
        await access.person(authorization: request.headers[.authorization], cookies: request.headers[values: .cookie])
    }

    /// The answer to someone not let in: the browser's basic-auth prompt with a password file,
    /// the sign-in page with a users file.
    func signIn(_ request: Request) -> Response {
        guard case .users = access.login else { return Self.loginRequired() }
        var next = request.uri.path
        if let query = request.uri.query, !query.isEmpty { next += "?" + query }
        let target = next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "%2F"
        var headers = Self.securityHeaders
        headers[.location] = "/login?next=\(target)"
        return Response(status: .seeOther, headers: headers)
    }

    /// The refusal of an action the person's role does not allow. The server checks, whatever
    /// the page showed.
    func forbidden(_ person: ConsoleAccess.Person, needs role: ConsoleRole) -> Response {
        let has = person.role?.rawValue ?? "none"
        return result(
            .forbidden, kind: "refused",
            "Refused: this needs the \(role.rawValue) role, and you are signed in as a \(has).")
    }

    /// A form POST: the person let in with the role it needs, the CSRF token checked, the form
    /// read, the actor known.
    /// The context's `page` key, when given, names the template shown instead of the result.
    func action(
        _ request: Request, needs role: ConsoleRole, bodyLimit: Int = 64 * 1024,
        _ perform: (String, ConsoleForm) async throws -> (HTTPResponse.Status, [String: Any])
    ) async throws -> Response {
        let person = await person(request)
        if person == .refused { return signIn(request) }
        if !person.may(role) { return forbidden(person, needs: role) }
        let body = try await request.body.collect(upTo: bodyLimit)
        let form = ConsoleForm(String(buffer: body))
        guard access.csrfMatches(form["csrf"]) else {
            logger.warning(
                "console form refused: missing or wrong CSRF token", metadata: ["path": "\(request.uri.path)"])
            return result(.forbidden, kind: "refused", "This form is out of date or did not come from the console.")
        }
        guard let actor = Self.actor(person, form) else {
            return result(.badRequest, kind: "refused", "Say who you are: the name field is required.")
        }
        let (status, context) = try await perform(actor, form)
        var full = view.base(title: "Done", person: person, source: view.source(form["source"]))
        full.merge(context) { $1 }
        if status != .ok, full["page"] == nil { full["title"] = "Refused" }
        var response = Self.html(status, ConsoleTemplates.render(full["page"] as? String ?? "result", full))
        if person == .anyone { response.headers[.setCookie] = Self.rememberCookie(actor) }
        return response
    }

    /// Who acts: the login's name, or without logins the form's `by` (nil when it is empty).
    static func actor(_ person: ConsoleAccess.Person, _ form: ConsoleForm) -> String? {
        if case .named(let name, _) = person { return name }
        guard let name = form["by"]?.trimmingCharacters(in: .whitespaces), !name.isEmpty else { return nil }
        return name
    }

    /// Without logins each form asks for a name; the browser keeps the last one given, so a
    /// person clearing thirty holds types it once. It only fills the field in: the form still
    /// carries the name, and the CSRF token still guards the form.
    static let nameCookie = "console_name"

    static func rememberCookie(_ name: String) -> String {
        let value = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return "\(nameCookie)=\(value); Path=/; HttpOnly; SameSite=Strict; Max-Age=2592000"
    }

    static func rememberedName(_ request: Request) -> String? {
        for field in request.headers[values: .cookie] {
            for pair in field.split(separator: ";") {
                let parts = pair.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0] == nameCookie { return String(parts[1]).removingPercentEncoding }
            }
        }
        return nil
    }

    private func decide(_ form: ConsoleForm, person: String) async throws -> (HTTPResponse.Status, [String: Any]) {
        let key = form["fr"] ?? ""
        let action: ManualAction
        switch ConsoleForm.parseAction(form, now: AgentClock.now()) {
        case .success(let parsed): action = parsed
        case .failure(let problem): return (.badRequest, ["kind": "refused", "message": problem.description])
        }
        let note = form["note"].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        let source = view.source(form["source"])
        var meta: Logger.Metadata = [
            "actor": "\(person)", "fr": "\(key)", "console.action": "decide", "source": "\(source.name)",
        ]
        do {
            let decision = try await source.manual.decide(
                key, action: action, by: person, note: note, ruleSet: await source.rules.current)
            meta["decision"] = "\(decision.decision.rawValue)"
            try await record(
                person, "decide", source: source.name,
                "\(decision.displayName): \(decision.decision.rawValue)" + (note.map { " (note: \($0))" } ?? ""),
                metadata: meta)
            wake.poke()
            let detail = DecisionText.detail(decision)
            var message = "\(decision.displayName): \(decision.decision.rawValue)"
            if !detail.isEmpty { message += " (\(detail))" }
            message += ", decided by \(person). "
            message +=
                decision.decision == .hold
                ? "It stays on hold." : "The agent sends the answer now."
            return (.ok, ["kind": "notice", "message": message, "frId": decision.frId])
        } catch let refused as ManualDecisionRefused {
            meta["refused"] = "\(refused.description)"
            logger.notice("console action refused", metadata: meta)
            return (.conflict, ["kind": "refused", "message": "Refused: \(refused.description)", "frId": key])
        }
    }

    /// What `answers retry` does: the failed answers of the FRs ticked (or all) are withdrawn,
    /// and the agent, woken, decides those FRs again.
    private func retry(_ form: ConsoleForm, person: String) async throws -> (HTTPResponse.Status, [String: Any]) {
        let source = view.source(form["source"])
        let all = form["all"] == "1"
        let keys = form.all("fr").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if !all && keys.isEmpty {
            return (
                .badRequest, ["kind": "refused", "message": "Tick the failed answers to retry, or retry them all."]
            )
        }
        let retried = try await source.people.retryFailed(all ? nil : keys, at: AgentClock.now())
        if !retried.isEmpty {
            try await record(
                person, "retry", source: source.name,
                "FRs \(retried.map(String.init).joined(separator: ", "))",
                metadata: ["frs": "\(retried.map(String.init).joined(separator: ","))"])
        }
        wake.poke()
        let count = retried.count
        return (
            count == 0 ? .conflict : .ok,
            [
                "kind": count == 0 ? "refused" : "notice",
                "message": count == 0
                    ? "No failed answer was found for that: nothing to retry."
                    : "\(count) FR\(count == 1 ? "" : "s") will be decided again now, retried by \(person).",
            ]
        )
    }

    private func setPause(_ pause: Bool, person: String) async throws -> (HTTPResponse.Status, [String: Any]) {
        if pause {
            try PauseFile.pause(view.pauseFile, by: "\(person) (web console)", at: AgentClock.now())
        } else {
            try PauseFile.resume(view.pauseFile)
        }
        try await record(
            person, pause ? "pause" : "resume", source: "-", pause ? "answering paused" : "answering resumed")
        wake.poke()
        return (
            .ok,
            [
                "kind": "notice",
                "message": pause
                    ? "Paused by \(person): nothing is sent until someone resumes."
                    : "Resumed by \(person): answers go out again now.",
            ]
        )
    }

    /// Logs an action and keeps it in the audit log (who, what, when, to what).
    func record(
        _ actor: String, _ action: String, source: String, _ detail: String, metadata: Logger.Metadata = [:]
    ) async throws {
        var meta = metadata
        meta["actor"] = "\(actor)"
        meta["console.action"] = "\(action)"
        if source != "-" { meta["source"] = "\(source)" }
        logger.notice("console action", metadata: meta)
        try await view.sources[0].database.recordAudit(
            AuditEntry(at: AgentClock.now(), actor: actor, action: action, sourceName: source, detail: detail))
    }

    func result(_ status: HTTPResponse.Status, kind: String, _ message: String) -> Response {
        var context = view.base(title: "Refused", person: .anyone, source: view.source(nil))
        context["askName"] = false
        context["kind"] = kind
        context["message"] = message
        return Self.html(status, ConsoleTemplates.render("result", context))
    }

    static func html(_ status: HTTPResponse.Status, _ text: String) -> Response {
        var headers = securityHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func loginRequired() -> Response {
        var headers = securityHeaders
        headers[.wwwAuthenticate] = "Basic realm=\"source-agent console\", charset=\"UTF-8\""
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(
            status: .unauthorized, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "login required\n")))
    }

    /// No script, no frames, no outside resources, forms only to the console, nothing cached.
    static let securityHeaders: HTTPFields = [
        .contentSecurityPolicy:
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        HTTPField.Name("Referrer-Policy")!: "no-referrer",
        .cacheControl: "no-store",
    ]
}

/// An `application/x-www-form-urlencoded` body.
struct ConsoleForm {
    /// Every value of each field, in the order sent (checkboxes send one per box ticked).
    private var fields: [String: [String]] = [:]

    init(_ body: String) {
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]) else { continue }
            let value = parts.count > 1 ? Self.decode(parts[1]) ?? "" : ""
            fields[name, default: []].append(value)
        }
    }

    /// A form from fields already read (a multipart form's).
    init(fields: [String: [String]]) { self.fields = fields }

    /// The field's first value.
    subscript(name: String) -> String? { fields[name]?.first }

    /// Every value sent for the field.
    func all(_ name: String) -> [String] { fields[name] ?? [] }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// A request the console refuses, with the message shown.
    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    /// The decision the form's button asked for.
    static func parseAction(_ form: ConsoleForm, now: Date) -> Result<ManualAction, Problem> {
        let remainder = Remainder(rawValue: form["remainder"] ?? "fill") ?? .fill
        switch form["action"] {
        case "acknowledge": return .success(.acknowledge(force: form["force"] == "1"))
        case "split": return .success(.split(remainder: remainder))
        case "cancel":
            guard let reason = DecisionReason(rawValue: form["reason"] ?? ""),
                DecisionReason.ruleFileReasons.contains(reason)
            else { return .failure(Problem(description: "Pick a reason to cancel.")) }
            return .success(.cancel(reason: reason, remainder: remainder))
        case "keep-holding":
            let until = (form["until"] ?? "").trimmingCharacters(in: .whitespaces)
            if until.isEmpty { return .success(.keepHolding(until: nil)) }
            guard let end = DecideCommand.until(until, now: now) else {
                return .failure(
                    Problem(
                        description:
                            "'Hold until' must be a duration such as 4h or a time such as 2026-12-01T09:00:00Z."))
            }
            return .success(.keepHolding(until: end))
        default: return .failure(Problem(description: "Unknown action."))
        }
    }
}
