// Console: the web console a person acts in: hold queue, decisions, answers.

import AgentStore
import Foundation
import FulfillmentCore
import HTTPTypes
import Hummingbird
import Logging
import ServiceLifecycle
import SourceAgent

/// `run --console-port`: the web console. Pages are GETs for anyone let in; every change (a
/// decision, pause, resume, upload, rule edit) is a form POST in the router group of the role
/// it needs, checked by `CSRFGuard` and logged with its actor. Decisions go through
/// `ManualDecisions`, like `source-agent decide`; the console then wakes the agent, whose next
/// cycle (starting within a fraction of a second) sends the answer.
public struct ConsoleServer: Service {
    /// Stock counts previewed and waiting for a person's confirmation.
    let stockUploads = StockUploads()
    /// Imports a tracking file as `tracking import` does (every source's route).
    let tracking: TrackingImport?
    let host: String
    let port: Int
    let view: ConsoleView
    let wake: CycleWake
    let logger: Logger
    /// Where sign-ins check password hashes (off the cooperative pool).
    let passwordChecks = PasswordChecks()
    /// Called with the bound port once the server listens (tests and the start-up log).
    var onListening: @Sendable (Int) async -> Void = { _ in }

    var access: ConsoleAccess { view.access }

    /// The console over an agent's sources: their stores, rules and pause file, with `login`
    /// deciding who may do what; `clock` is the agent's.
    public init(
        sources: [SourceRuntime], pauseFile: String, login: ConsoleAccess.Login, leases: (any LeaseStore)?,
        tracking: TrackingImport?, wake: CycleWake, clock: @escaping @Sendable () -> Date,
        ruleTests: any RuleTestRunning, host: String, port: Int, logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        view = ConsoleView(
            sources: sources, pauseFile: pauseFile, access: ConsoleAccess(login: login), leases: leases, clock: clock,
            ruleTests: ruleTests)
        self.tracking = tracking
        self.wake = wake
        self.host = host
        self.port = port
        self.logger = logger
        self.onListening = onListening
    }

    public func run() async throws {
        // A template that does not parse stops the console here, named, rather than serving blank pages.
        _ = try ConsoleTemplates.library.get()
        let onListening = self.onListening
        let app = Application(
            router: router(), configuration: .init(address: .hostname(host, port: port)),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) }, logger: logger)
        do {
            try await ListenFailure.run(
                app, what: "console", host: host, port: port, setting: "--console-port or console_port")
        } catch {
            await passwordChecks.shutdown()
            throw error
        }
        await passwordChecks.shutdown()
    }

    /// Every route, in the group of who may use it: sign-in and sign-out for anyone, pages for
    /// people let in, actions for operators, rule changes for admins.
    func router() -> Router<ConsoleRequestContext> {
        let router = Router(context: ConsoleRequestContext.self)
        router.add(middleware: ConsoleAuthenticator(access: access, clock: view.clock))
        let forms = CSRFGuard(logger: logger, refuse: refusal)
        addSignIn(router.group().add(middleware: forms))
        addLive(router)
        let people = router.group().add(middleware: SignInRequired(access: access))
        addPages(people)
        addAudit(people)
        addRulePages(people)
        let operators = people.group().add(middleware: RoleRequired(role: .operator, refuse: refusal))
            .add(middleware: forms)
        addActions(operators)
        addUploads(operators)
        let admins = people.group().add(middleware: RoleRequired(role: .admin, refuse: refusal))
            .add(middleware: forms)
        addRuleChanges(admins)
        return router
    }

    /// The pages every person let in reads.
    private func addPages(_ group: RouterGroup<ConsoleRequestContext>) {
        group.get("/") { request, context in
            try await page(request, context, live: "overview") { person, source in
                try await view.overview(person: person, source: source, now: view.clock())
            }
        }
        group.get("holds") { request, context in
            try await page(request, context, live: "holds") { person, source in
                try await view.holds(person: person, source: source, now: view.clock())
            }
        }
        group.get("decisions") { request, context in
            let query = Self.query(request)
            return try await page(request, context) { person, source in
                try await view.decisions(query: query, person: person, source: source, now: view.clock())
            }
        }
        group.get("fr") { request, context in
            let query = (request.uri.queryParameters.get("q") ?? "").trimmingCharacters(in: .whitespaces)
            return try await page(request, context) { person, source in
                try await view.fr(query, person: person, source: source)
            }
        }
        group.get("answers") { request, context in
            try await page(request, context) { person, source in
                try await view.answers(person: person, source: source, now: view.clock())
            }
        }
        group.get("stock") { request, context in
            let query = Self.query(request)
            return try await page(request, context) { person, source in
                try await view.stock(query: query, person: person, source: source)
            }
        }
        group.get("reports") { request, context in
            let query = Self.query(request)
            return try await page(request, context) { person, source in
                ConsoleReports(view: view).page(query: query, person: person, source: source)
            }
        }
        group.get("reports/:format") { request, context in
            let query = Self.query(request)
            let format = context.parameters.get("format") ?? ""
            let reply = try await ConsoleReports(view: view).download(
                format, query: query, source: view.source(query["source"]))
            return reply ?? ConsoleResponses.html(.notFound, "no such report format\n")
        }
        group.get("shipments") { request, context in
            let query = Self.query(request)
            return try await page(request, context) { person, source in
                try await view.shipments(query: query, person: person, source: source, now: view.clock())
            }
        }
    }

    /// What operators do: decide a hold, retry answers, pause and resume.
    private func addActions(_ group: RouterGroup<ConsoleRequestContext>) {
        group.post("decide") { request, context in
            try await act(request, context, DecideForm.self) { person, form in try await decide(form, person: person) }
        }
        group.post("retry") { request, context in
            try await act(request, context, RetryForm.self) { person, form in try await retry(form, person: person) }
        }
        group.post("pause") { request, context in
            try await act(request, context, PersonForm.self) { person, _ in try await setPause(true, person: person) }
        }
        group.post("resume") { request, context in
            try await act(request, context, PersonForm.self) { person, _ in try await setPause(false, person: person) }
        }
    }

    /// A request's query parameters, decoded; a repeated one keeps its last value.
    static func query(_ request: Request) -> [String: String] {
        Dictionary(request.uri.queryParameters.map { (String($0.key), String($0.value)) }, uniquingKeysWith: { $1 })
    }

    /// What an action did: the status and the result page.
    typealias Outcome = (status: HTTPResponse.Status, result: ResultPage)

    /// A GET page. A `live` page (see `ConsoleLive`) carries the stamp of what it shows, taken
    /// before it is read, and the script that keeps it current.
    func page(
        _ request: Request, _ context: ConsoleRequestContext, live: String? = nil,
        _ build: (ConsoleAccess.Person, SourceRuntime) async throws -> Shown
    ) async throws -> Response {
        let source = view.source(request.uri.queryParameters.get("source"))
        var stamp: String?
        if let live { stamp = try await liveStamp(source, page: live) }
        var shown = try await build(context.person, source)
        shown.frame.rememberedName = request.cookies[Self.nameCookie]?.value.removingPercentEncoding
        shown.frame.csrf = context.csrfToken
        if let stamp {
            shown.frame.live = stamp
            shown.frame.livePage = live
        }
        var response = ConsoleResponses.html(shown.status, shown.html)
        if stamp != nil { response.headers[.contentSecurityPolicy] = ConsoleLive.securityPolicy }
        return response
    }

    /// The result page of an action about `source`.
    func shownResult(
        _ status: HTTPResponse.Status, _ result: ResultPage, person: ConsoleAccess.Person, source: SourceRuntime
    ) -> Shown {
        Shown(
            .result, view.frame(title: status == .ok ? "Done" : "Refused", person: person, source: source), result,
            status: status)
    }

    /// A form POST of a person let in with the role its group needs, its CSRF token checked:
    /// the form decoded, the actor known, `perform` run and its result page shown.
    func act<Form: ActorForm>(
        _ request: Request, _ context: ConsoleRequestContext, _ type: Form.Type,
        _ perform: (String, Form) async throws -> Outcome
    ) async throws -> Response {
        try await acting(request, context, type) { actor, form in
            let (status, result) = try await perform(actor, form)
            return shownResult(status, result, person: context.person, source: view.source(form.source))
        }
    }

    /// `act` for an action that shows a page of its own (an upload's result, the rules page
    /// after an edit).
    func acting<Form: ActorForm>(
        _ request: Request, _ context: ConsoleRequestContext, _ type: Form.Type,
        _ perform: (String, Form) async throws -> Shown
    ) async throws -> Response {
        var request = request
        let form: Form
        do {
            form = try await ConsoleForms.decode(Form.self, from: &request)
        } catch let unreadable as ConsoleForms.Unreadable {
            return refusal(.badRequest, "Refused: \(unreadable.description).")
        }
        guard let actor = Self.actor(context.person, form.by) else {
            return refusal(.badRequest, "Say who you are: the name field is required.")
        }
        var shown = try await perform(actor, form)
        shown.frame.csrf = context.csrfToken
        var response = ConsoleResponses.html(shown.status, shown.html)
        if context.person == .anyone { response.setCookie(Self.rememberCookie(actor)) }
        return response
    }

    /// Who acts: the login's name, or without logins the form's `by` (nil when it is empty).
    static func actor(_ person: ConsoleAccess.Person, _ by: String?) -> String? {
        if case .named(let name, _) = person { return name }
        guard let name = by?.trimmingCharacters(in: .whitespaces), !name.isEmpty else { return nil }
        return name
    }

    /// Without logins each form asks for a name; the browser keeps the last one given, so a
    /// person clearing thirty holds types it once. It only fills the field in: the form still
    /// carries the name, and the CSRF token still guards the form.
    static let nameCookie = "console_name"

    static func rememberCookie(_ name: String) -> Cookie {
        let value = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return Cookie(name: nameCookie, value: value, maxAge: 2_592_000, path: "/", httpOnly: true, sameSite: .strict)
    }

    private func decide(_ form: DecideForm, person: String) async throws -> Outcome {
        let key = form.fr ?? ""
        let action: ManualAction
        switch form.action(now: view.clock()) {
        case .success(let parsed): action = parsed
        case .failure(let problem): return (.badRequest, .refused(problem.description))
        }
        let note = form.note.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        let source = view.source(form.source)
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
            return (.ok, .notice(message, frId: "\(decision.frId)"))
        } catch let refused as ManualDecisionRefused {
            meta["refused"] = "\(refused.description)"
            logger.notice("console action refused", metadata: meta)
            return (.conflict, .refused("Refused: \(refused.description)", frId: key))
        }
    }

    /// What `answers retry` does: the failed answers of the FRs ticked (or all) are withdrawn,
    /// and the agent, woken, decides those FRs again.
    private func retry(_ form: RetryForm, person: String) async throws -> Outcome {
        let source = view.source(form.source)
        let all = form.all == "1"
        let keys = (form.fr ?? []).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if !all && keys.isEmpty {
            return (.badRequest, .refused("Tick the failed answers to retry, or retry them all."))
        }
        let retried = try await source.people.retryFailed(all ? nil : keys, at: view.clock())
        if !retried.isEmpty {
            try await record(
                person, "retry", source: source.name,
                "FRs \(retried.map(String.init).joined(separator: ", "))",
                metadata: ["frs": "\(retried.map(String.init).joined(separator: ","))"])
        }
        wake.poke()
        let count = retried.count
        guard count > 0 else { return (.conflict, .refused("No failed answer was found for that: nothing to retry.")) }
        return (.ok, .notice("\(count) FR\(count == 1 ? "" : "s") will be decided again now, retried by \(person)."))
    }

    private func setPause(_ pause: Bool, person: String) async throws -> Outcome {
        if pause {
            try PauseFile.pause(view.pauseFile, by: "\(person) (web console)", at: view.clock())
        } else {
            try PauseFile.resume(view.pauseFile)
        }
        try await record(
            person, pause ? "pause" : "resume", source: "-", pause ? "answering paused" : "answering resumed")
        wake.poke()
        return (
            .ok,
            .notice(
                pause
                    ? "Paused by \(person): nothing is sent until someone resumes."
                    : "Resumed by \(person): answers go out again now.")
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
            AuditEntry(at: view.clock(), actor: actor, action: action, sourceName: source, detail: detail))
    }

    /// The console's refusal page: the status, and what a person reads.
    func refusal(_ status: HTTPResponse.Status, _ message: String) -> Response {
        var frame = view.frame(title: "Refused", person: .anyone, source: view.source(nil))
        frame.askName = false
        return ConsoleResponses.html(status, Shown(.result, frame, ResultPage.refused(message)).html)
    }
}
