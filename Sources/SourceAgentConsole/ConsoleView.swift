import AgentStore
import Foundation
import FulfillmentCore
import SourceAgent

/// What the console's pages show, read from the database each time a page is asked for, so
/// it is as current as the agent's last write (decisions taken by `decide` from a shell included).
/// Each page is about one source, `?source=NAME` (a form's `source` field), the first by default;
/// with several sources the header links to each.
struct ConsoleView: Sendable {
    let sources: [SourceRuntime]
    let pauseFile: String
    let access: ConsoleAccess
    /// Every source's lease, on the shared store; nil on SQLite.
    var leases: (any LeaseStore)? = nil
    /// The agent's clock (the composition root's, moved by `SOURCE_AGENT_TIME_OFFSET`; a
    /// test's own): every "now" a page shows or a form records.
    let clock: @Sendable () -> Date
    /// Runs the rule test files for the rules page's preview.
    let ruleTests: any RuleTestRunning
    /// Holds shown with their trace on one page; the rest are counted.
    static let holdsPerPage = 200

    /// The source a page or form names; the first when it names none or one not configured.
    func source(_ name: String?) -> SourceRuntime { sources.first { $0.name == name } ?? sources[0] }

    /// `date` as a person reads it ("6 days ago"), by the agent's clock.
    /// `date` as a person reads it ("6 days ago") by the agent's clock, with the exact time in
    /// the warehouse's zone for the tooltip.
    func ago(_ date: Date, zone: TimeZone) -> Moment {
        Moment(text: HumanTime.relative(date, now: clock()), exact: Self.localTime(date, zone: zone))
    }

    /// What every page's header and forms need.
    func frame(title: String, person: ConsoleAccess.Person, source: SourceRuntime, query: String = "") -> PageFrame {
        var frame = PageFrame(
            title: title, askName: person == .anyone, query: query,
            reasons: DecisionReason.ruleFileReasons.map(\.rawValue), source: source.name, multi: sources.count > 1,
            sources: sources.map { PageFrame.SourceLink(name: $0.name, current: $0.name == source.name) },
            canAct: person.may(.operator), canEditRules: person.may(.admin))
        if case .named(let name, let role) = person {
            frame.person = name
            frame.role = role.rawValue
            frame.signedIn = access.usesSessions
        }
        return frame
    }

    /// The overview: the last cycle, the guard, pause, answers, stock, holds by age, who
    /// decided holds, the rules in force and the fleet.
    struct Overview: Sendable {
        var lastCycle = "none yet"
        var lastCycleAt: Moment?
        var cycleError: String?
        var `guard` = "ok"
        var paused = false
        var pausedBy = ""
        var pause = "answering"
        var pauseAction = "/pause"
        var pauseButton = "Pause answering"
        var answers = ""
        var stock = "never imported"
        var stockAt: Moment?
        var holdAges: [Count] = []
        var holdCount = 0
        var people: [Count] = []
        var inForce = ""

        /// A labelled count (holds of an age, holds a person decided).
        struct Count: Sendable {
            var label = ""
            var name = ""
            var count: Int
        }
    }

    func overview(person: ConsoleAccess.Person, source: SourceRuntime, now: Date) async throws -> Shown {
        let database = source.database
        let zone = await source.rules.current.calendar.timeZone
        var page = Overview()
        let status = try await database.status(totals: false)
        if let cycle = status.lastCycle {
            page.lastCycleAt = ago(cycle.finishedAt ?? cycle.startedAt, zone: zone)
            page.lastCycle =
                "#\(cycle.id ?? 0): fetched \(cycle.fetched), decided \(cycle.decided), sent \(cycle.sent), "
                + "failed \(cycle.failed)"
            page.cycleError = cycle.error
        }
        if status.lastCycle?.guardTripped ?? false {
            page.guard = "TRIPPED in the last cycle: cancels held for review"
        }
        if let pausedBy = PauseFile.reason(pauseFile) {
            page.paused = true
            page.pausedBy = pausedBy
            page.pause = "paused (\(pausedBy))"
            page.pauseAction = "/resume"
            page.pauseButton = "Resume answering"
        }
        page.answers =
            "\(status.answered) sent, \(status.pendingAnswers) pending, \(status.failedAnswers) failed, "
            + "\(status.withdrawnAnswers) withdrawn"
        if let imported = status.lastStockImport {
            page.stock = "imported"
            page.stockAt = ago(imported, zone: zone)
        }
        let ages = HoldAges(heldSince: try await database.openHoldsSince(), now: now)
        page.holdAges = HoldAges.labels.map { .init(label: HoldAges.title($0), count: ages.counts[$0] ?? 0) }
        page.holdCount = ages.total
        page.people = try await database.manualDecisionsByPerson().sorted { $0.key < $1.key }.map {
            .init(name: $0.key, count: $0.value)
        }
        page.inForce = await source.rules.version.map(FleetStatus.label) ?? "the local file"
        let fleet = try await fleet(source: source, leases: true, now: now)
        let title = sources.count > 1 ? "Overview: \(source.name)" : "Overview"
        return Shown(.overview, frame(title: title, person: person, source: source), page, fleet)
    }

    /// The hold queue: each held FR with how long it waited, its time left and its trace.
    struct Holds: Sendable {
        var holds: [Hold]

        /// One held FR.
        struct Hold: Sendable {
            var frId: Int
            var name: String
            var age: String
            var rule: String
            var note: String
            var shipTo: String
            var shipBy: String
            var timeLeft: String
            var urgency: String
            var explain: String
        }
    }

    func holds(person: ConsoleAccess.Person, source: SourceRuntime, now: Date) async throws -> Shown {
        let database = source.database
        let ruleSet = await source.rules.current
        let zone = ruleSet.calendar.timeZone
        let holds = try await database.openHolds(limit: Self.holdsPerPage)
        var rows: [Holds.Hold] = []
        for hold in holds {
            let entry = HoldQueueEntry(hold, ruleSet: ruleSet)
            let decision = try await database.fullDecision(hold.decision)
            let late = entry.nextDeadline.map { $0.at.timeIntervalSince(now) < 4 * 3600 } ?? false
            rows.append(
                Holds.Hold(
                    frId: hold.frId, name: hold.displayName,
                    age: HoldQueueEntry.span(now.timeIntervalSince(hold.heldSince)),
                    rule: hold.decision.rule + (hold.decision.decidedBy.map { " (\($0))" } ?? ""),
                    note: hold.decision.note ?? "", shipTo: Self.shipTo(entry.fr), shipBy: entry.shipBy ?? "none",
                    timeLeft: entry.timeLeft(now: now), urgency: late ? "late" : "ok",
                    explain: DecisionText.explain(decision, zone: zone)))
        }
        let of = sources.count > 1 ? ": \(source.name)" : ""
        let title = "Hold queue\(of) (\(holds.count)\(holds.count == Self.holdsPerPage ? "+" : ""))"
        return Shown(.holds, frame(title: title, person: person, source: source), Holds(holds: rows))
    }

    /// One FR: its history in words, as received, answers, shipments and held units; the
    /// decision buttons while it waits for a person.
    struct FRPage: Sendable {
        var missing = false
        var explain: String?
        var open = false
        var frId: Int?
        var name: String?
        var frName: String?
        var frStatus = ""
        var frSeen = ""
        var shipTo = ""
        var shipBy = ""
        var lines: [Line] = []
        var answers: [Answer] = []
        var shipments: [Shipment] = []
        var held: [Held] = []

        /// A line as received.
        struct Line: Sendable {
            var sku: String
            var quantity: Int
        }

        /// One answer's life.
        struct Answer: Sendable {
            var kind: String
            var state: String
            var attempts: Int
            var queued: String
            var updated: String
            var error: String?
            var next: String?
            var outcome: String?
        }

        /// A shipment recorded for the FR (also the shipments page's rows).
        struct Shipment: Sendable {
            var frId: Int
            var tracking: String
            var carrier: String
            var units: Int
            var shipped: String
            var state: String
            var error: String?
            var from: String
        }

        /// Units of a SKU held for the FR.
        struct Held: Sendable {
            var sku: String
            var units: Int
        }
    }

    func fr(_ query: String, person: ConsoleAccess.Person, source: SourceRuntime) async throws -> Shown {
        let database = source.database
        let title = sources.count > 1 ? "FR \(query) of \(source.name)" : "FR \(query)"
        let frame = frame(title: title, person: person, source: source, query: query)
        var page = FRPage()
        let zone = await source.rules.current.calendar.timeZone
        guard let text = try await DecisionHistory.text(query, db: database, zone: zone) else {
            page.missing = true
            return Shown(.fr, frame, page)
        }
        page.explain = text
        guard let standing = try await database.standing(of: query) else { return Shown(.fr, frame, page) }
        try await frDetails(standing.fr, source: source, zone: zone, into: &page)
        if standing.answer == nil,
            let hold = try await database.latestDecisions(for: [standing.fr.id])[standing.fr.id],
            hold.decision == .hold
        {
            page.open = true
            page.frId = standing.fr.id
            page.name = standing.fr.number ?? "#\(standing.fr.id)"
        }
        return Shown(.fr, frame, page)
    }

    /// The FR as received (lines, ship-to, ship-by), its answers' lives, shipments and the
    /// units held for it, for its page.
    func frDetails(_ record: FRRecord, source: SourceRuntime, zone: TimeZone, into page: inout FRPage) async throws {
        let database = source.database
        let fr = try? FRListDecoder.decodeOne(text: record.rawJSON)
        page.frName = record.number ?? "#\(record.id)"
        page.frStatus = record.upstreamStatus ?? "unknown"
        page.frSeen = Self.localTime(record.firstSeen, zone: zone)
        page.shipTo = Self.shipTo(fr)
        page.shipBy = fr?.shipBy?.description ?? "none"
        page.lines = (fr?.items ?? []).map { FRPage.Line(sku: $0.sku ?? "(no SKU)", quantity: $0.quantity) }
        page.answers = try await database.answers(forFR: record.id).map { answer in
            FRPage.Answer(
                kind: answer.kind.rawValue, state: answer.state.rawValue, attempts: answer.attempts,
                queued: Self.localTime(answer.createdAt, zone: zone),
                updated: Self.localTime(answer.updatedAt, zone: zone),
                error: answer.lastError,
                next: answer.state == .pending
                    ? answer.nextAttemptAt.map { Self.localTime($0, zone: zone) } ?? "now" : nil,
                outcome: answer.outcome)
        }
        page.shipments = try await database.shipments(frId: record.id).map { Self.shipmentRow($0, zone: zone) }
        page.held = try await database.heldUnits(frId: record.id).sorted { $0.key < $1.key }.map {
            FRPage.Held(sku: $0.key, units: $0.value)
        }
    }

    /// A shipment as the FR and shipments pages list it.
    static func shipmentRow(_ shipment: ShipmentRecord, zone: TimeZone) -> FRPage.Shipment {
        FRPage.Shipment(
            frId: shipment.frId, tracking: shipment.trackingNumber, carrier: shipment.carrier ?? "",
            units: shipment.units, shipped: localTime(shipment.shippedAt, zone: zone), state: shipment.state.rawValue,
            error: shipment.lastError, from: shipment.source)
    }

    /// The ship-to address on one line, as the FR gives it.
    static func shipTo(_ fr: FulfillmentRequest?) -> String {
        guard let a = fr?.shippingAddress else { return "(no address)" }
        let name = a.name ?? [a.firstName, a.lastName].compactMap { $0 }.joined(separator: " ")
        return [
            name, a.companyName, a.addressLine1, a.addressLine2, a.city, a.stateCode ?? a.state, a.postal,
            a.countryCode ?? a.country,
        ]
        .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
    }
}
