import Foundation
import Testing

@testable import SourceAgentConsole

/// Every page's template against its typed model: each name a template reads is a property
/// of the page, a shared section or the header's frame (a misspelt name would render as
/// nothing), and every list and optional is filled so that every section is read.
@Suite("Web console: every template reads only names its page has")
struct PageTemplateTests {
    static let frame = PageFrame(
        title: "T", askName: true, query: "q", reasons: ["duplicate"], source: "s", multi: true,
        sources: [.init(name: "s", current: true)], person: "ana", role: "admin", signedIn: true, canAct: true,
        canEditRules: true, csrf: "c", rememberedName: "cy", live: "1-2-3", livePage: "holds", hideNav: false)

    static let moment = Moment(text: "6 days ago", exact: "2026-12-01 09:00")

    static let shipment = ConsoleView.FRPage.Shipment(
        frId: 1, tracking: "1Z", carrier: "UPS", units: 2, shipped: "t", state: "sent", error: "e", from: "f")

    static let fleet = ConsoleView.Fleet(
        fleetRules: [.init(process: "h:1", version: "#1", current: false, loaded: moment, seen: moment, problem: "p")],
        rulesOutOfDate: 1,
        leases: [
            .init(
                source: "s", holder: "h:1", epoch: 2, takeovers: 0, expires: "in 5 seconds", rules: "#1",
                lastCycle: moment)
        ],
        hasLeases: true)

    static let rulesPage: ConsoleRules.Page = {
        var page = ConsoleRules.Page(
            path: "rules.yaml", inForce: "#1", inForceBy: "ana", inForceAt: "t", diskDiffers: true,
            lines: [.init(number: 1, text: "version: 1")], edit: "version: 1", base: "1",
            history: [.init(id: 1, at: "t", actor: "ana", note: "n", sha: "abc", current: true)])
        page.diagnostics = [.init(text: "d", error: true)]
        page.hasDiagnostics = true
        page.checkFailed = "f"
        page.checkPassed = "ok"
        page.preview = ConsoleRules.Preview(
            replayed: 3, changed: 1, days: 7, unreadable: 1, byChange: [.init(kind: "decision", count: 1)],
            changes: [.init(frId: 1, name: "FR-1", decidedAt: "t", before: "b", after: "a", kinds: "decision")],
            moreChanges: 2, hasChanges: true,
            tests: [.init(name: "n", passed: false, where: "w:1", failures: ["x"])], testSummary: "0 passed",
            testsFailed: true, testProblems: ["p"])
        return page
    }()

    /// Every page with a model that fills each of its sections.
    static let pages: [Shown] = {
        let diff = [ConsoleServer.DiffRow(mark: "+", text: "t", kind: "added")]
        let change = StockChanges.Row(sku: "A", location: "main", before: "1", after: "2")
        var frPage = ConsoleView.FRPage(
            missing: true, explain: "e", open: true, frId: 1, name: "FR-1", frName: "FR-1", frStatus: "new",
            frSeen: "t", shipTo: "a", shipBy: "d", lines: [.init(sku: "A", quantity: 1)])
        frPage.answers = [
            .init(
                kind: "ack", state: "failed", attempts: 1, queued: "q", updated: "u", error: "e", next: "n",
                outcome: "o")
        ]
        frPage.shipments = [shipment]
        frPage.held = [.init(sku: "A", units: 1)]
        let answer = ConsoleView.Answers.Answer(
            frId: 1, name: "FR-1", decision: "ack", rule: "r", kind: "ack", attempts: 1, error: "e", outcome: "o",
            next: "n", updated: "u")
        let option = ConsoleView.Decisions.Option(value: "v", title: "t", selected: true)
        return [
            Shown(
                .overview, frame,
                ConsoleView.Overview(
                    lastCycle: "l", lastCycleAt: moment, cycleError: "e", guard: "ok", paused: true, pausedBy: "p",
                    pause: "p",
                    pauseAction: "/resume", pauseButton: "b", answers: "a", stock: "s", stockAt: moment,
                    holdAges: [.init(label: "l", count: 1)], holdCount: 1, people: [.init(name: "n", count: 1)],
                    inForce: "#1"), fleet),
            Shown(
                .holds, frame,
                ConsoleView.Holds(holds: [
                    .init(
                        frId: 1, name: "FR-1", age: "a", rule: "r", note: "n", shipTo: "s", shipBy: "b", timeLeft: "t",
                        urgency: "late", explain: "e")
                ])),
            Shown(.fr, frame, frPage),
            Shown(
                .decisions, frame,
                ConsoleView.Decisions(
                    rows: [
                        .init(
                            id: 1, frId: 1, name: "FR-1", at: "t", decision: "hold", rule: "r", reason: "x", skus: "A",
                            answer: "—", by: "ana")
                    ], filterDecision: "", filterRule: "", filterReason: "", filterSku: "", filterFr: "",
                    filterPerson: "", filterWithin: "7d", decisionKinds: [option], reasonOptions: [option],
                    windows: [option], older: "/o", newest: "/n", narrowed: true)),
            Shown(
                .answers, frame,
                ConsoleView.Answers(
                    failed: [answer], pending: [answer], withdrawn: [answer], failedCount: "1", pendingCount: "1",
                    withdrawnCount: "1")),
            Shown(
                .reports, frame,
                ConsoleReports.Page(
                    since: "7d", until: "", from: "f", to: "now", links: [.init(format: "csv", href: "/h")],
                    problem: "p")),
            Shown(
                .stock, frame,
                ConsoleView.Stock(
                    search: "A",
                    rows: [
                        .init(
                            sku: "A", location: "main", counted: 1, held: 0, shipped: 0, free: 1, pushed: "1",
                            pushedAt: "t", short: true)
                    ], shown: "1 row(s)", counted: moment, pools: [.init(pool: "p", sources: "s")], pool: "p",
                    kits: [.init(sku: "K", buildable: 0, parts: "1 × A (1 free, limits)", short: true)], hasKits: true,
                    promised: [
                        .init(
                            frId: 1, name: "FR-1", units: "2 × A", lands: "Mon 2026-11-30 at dallas", slipped: true,
                            state: "s")
                    ], hasPromised: true)),
            Shown(
                .stockPreview, frame,
                ConsoleServer.StockPreview(
                    by: "cy", problems: ["p"], token: "t", rows: 1, summary: "s", up: [change], down: [change],
                    added: [change], missing: [change])),
            Shown(
                .shipments, frame,
                ConsoleView.Shipments(
                    rows: [shipment],
                    files: [.init(at: "t", name: "n", origin: "o", actor: "a", summary: "s", problems: ["p"])],
                    lateDays: 2, lateCount: "1", late: [.init(frId: 1, name: "FR-1", acknowledged: "t", units: 1)],
                    awaiting: "a", oldestAnswered: moment)),
            Shown(.trackingResult, frame, ConsoleServer.TrackingResult(written: true, summary: "s", problems: ["p"])),
            Shown(.result, frame, ResultPage.notice("m", frId: "1")),
            Shown(.login, frame, ConsoleServer.LoginPage(next: "/", message: "m")),
            Shown(
                .audit, frame,
                ConsoleServer.AuditPage(
                    entries: [.init(at: "t", actor: "a", action: "x", source: "s", detail: "d")], older: 3)),
            Shown(.rules, frame, rulesPage, fleet),
            Shown(
                .ruleVersion, frame,
                ConsoleServer.VersionPage(
                    missing: true, id: 1, at: "t", actor: "a", note: "n", lines: [.init(number: 1, text: "t")],
                    hasBefore: true, diff: diff)),
            Shown(.rulesApplied, frame, ConsoleServer.Applied(message: "m", diff: diff)),
        ]
    }()

    @Test("the templates parse, and every page is covered here")
    func everyPage() throws {
        _ = try ConsoleTemplates.library.get()
        #expect(Set(Self.pages.map(\.page)) == Set(ConsoleTemplates.Page.allCases))
    }

    @Test("every name a page's template reads is one its model, a shared section or the frame has")
    func names() {
        for shown in Self.pages {
            let unknown = PageContext.UnknownNames()
            let html = PageContext.$unknownNames.withValue(unknown) { shown.html }
            #expect(unknown.all.isEmpty, "\(shown.page): \(unknown.all.sorted())")
            #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("</html>"), "\(shown.page)")
        }
    }

    @Test("a misspelt name is caught: a model without the name the template reads")
    func caught() {
        struct Wrong: Sendable { var mesage = "m" }
        let unknown = PageContext.UnknownNames()
        _ = PageContext.$unknownNames.withValue(unknown) { Shown(.result, Self.frame, Wrong()).html }
        #expect(unknown.all.contains("message"))
    }
}
