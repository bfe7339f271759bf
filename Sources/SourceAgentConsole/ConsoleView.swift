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
    func ago(_ date: Date) -> String { HumanTime.relative(date, now: clock()) }

    /// What every page's header and forms need.
    func base(title: String, person: ConsoleAccess.Person, source: SourceRuntime, query: String = "")
        -> [String: Any]
    {
        var context: [String: Any] = [
            "title": title, "askName": person == .anyone, "query": query,
            "reasons": DecisionReason.ruleFileReasons.map(\.rawValue), "source": source.name,
            "multi": sources.count > 1,
            "sources": sources.map { ["name": $0.name, "current": $0.name == source.name] as [String: Any] },
        ]
        if case .named(let name, let role) = person {
            context["person"] = name
            context["role"] = role.rawValue
            context["signedIn"] = access.usesSessions
        }
        context["canAct"] = person.may(.operator)
        context["canEditRules"] = person.may(.admin)
        return context
    }

    func overview(person: ConsoleAccess.Person, source: SourceRuntime, now: Date) async throws
        -> [String: Any]
    {
        let database = source.database
        var context = base(
            title: sources.count > 1 ? "Overview: \(source.name)" : "Overview", person: person, source: source)
        let status = try await database.status(totals: false)
        if let cycle = status.lastCycle {
            context["lastCycle"] =
                "#\(cycle.id ?? 0) \(ago(cycle.finishedAt ?? cycle.startedAt)): fetched \(cycle.fetched), "
                + "decided \(cycle.decided), sent \(cycle.sent), failed \(cycle.failed)"
            if let error = cycle.error { context["cycleError"] = error }
        } else {
            context["lastCycle"] = "none yet"
        }
        context["guard"] =
            (status.lastCycle?.guardTripped ?? false) ? "TRIPPED in the last cycle: cancels held for review" : "ok"
        let pausedBy = PauseFile.reason(pauseFile)
        context["paused"] = pausedBy != nil
        context["pausedBy"] = pausedBy ?? ""
        context["pause"] = pausedBy.map { "paused (\($0))" } ?? "answering"
        context["pauseAction"] = pausedBy == nil ? "/pause" : "/resume"
        context["pauseButton"] = pausedBy == nil ? "Pause answering" : "Resume answering"
        context["answers"] =
            "\(status.answered) sent, \(status.pendingAnswers) pending, \(status.failedAnswers) failed, "
            + "\(status.withdrawnAnswers) withdrawn"
        context["stock"] = status.lastStockImport.map { "imported \(ago($0))" } ?? "never imported"
        let ages = HoldAges(heldSince: try await database.openHoldsSince(), now: now)
        context["holdAges"] = HoldAges.labels.map { label in
            ["label": HoldAges.title(label), "count": ages.counts[label] ?? 0] as [String: Any]
        }
        context["holdCount"] = ages.total
        context["people"] = try await database.manualDecisionsByPerson().sorted { $0.key < $1.key }.map {
            ["name": $0.key, "count": $0.value] as [String: Any]
        }
        context["inForce"] = await source.rules.version.map(FleetStatus.label) ?? "the local file"
        try await fleet(into: &context, source: source, leases: true, now: now)
        return context
    }

    func holds(person: ConsoleAccess.Person, source: SourceRuntime, now: Date) async throws
        -> [String: Any]
    {
        let database = source.database
        let ruleSet = await source.rules.current
        let zone = ruleSet.calendar.timeZone
        let holds = try await database.openHolds(limit: Self.holdsPerPage)
        let of = sources.count > 1 ? ": \(source.name)" : ""
        var context = base(
            title: "Hold queue\(of) (\(holds.count)\(holds.count == Self.holdsPerPage ? "+" : ""))", person: person,
            source: source)
        var rows: [[String: Any]] = []
        for hold in holds {
            let entry = HoldQueueEntry(hold, ruleSet: ruleSet)
            let decision = try await database.fullDecision(hold.decision)
            let late = entry.nextDeadline.map { $0.at.timeIntervalSince(now) < 4 * 3600 } ?? false
            rows.append([
                "frId": hold.frId, "name": hold.displayName,
                "age": HoldQueueEntry.span(now.timeIntervalSince(hold.heldSince)),
                "rule": hold.decision.rule + (hold.decision.decidedBy.map { " (\($0))" } ?? ""),
                "note": hold.decision.note ?? "", "shipTo": Self.shipTo(entry.fr), "shipBy": entry.shipBy ?? "none",
                "timeLeft": entry.timeLeft(now: now), "urgency": late ? "late" : "ok",
                "explain": DecisionText.explain(decision, zone: zone),
            ])
        }
        context["holds"] = rows
        return context
    }

    func fr(_ query: String, person: ConsoleAccess.Person, source: SourceRuntime) async throws -> [String: Any] {
        let database = source.database
        var context = base(
            title: sources.count > 1 ? "FR \(query) of \(source.name)" : "FR \(query)", person: person, source: source,
            query: query)
        let zone = await source.rules.current.calendar.timeZone
        guard let text = try await DecisionHistory.text(query, db: database, zone: zone) else {
            context["missing"] = true
            return context
        }
        context["explain"] = text
        guard let standing = try await database.standing(of: query) else { return context }
        try await frDetails(standing.fr, source: source, zone: zone, into: &context)
        if standing.answer == nil,
            let hold = try await database.latestDecisions(for: [standing.fr.id])[standing.fr.id],
            hold.decision == .hold
        {
            context["open"] = true
            context["frId"] = standing.fr.id
            context["name"] = standing.fr.number ?? "#\(standing.fr.id)"
        }
        return context
    }

    /// The FR as received (lines, ship-to, ship-by), its answers' lives, shipments and the
    /// units held for it, for its page.
    func frDetails(_ record: FRRecord, source: SourceRuntime, zone: TimeZone, into context: inout [String: Any])
        async throws
    {
        let database = source.database
        let fr = try? FRListDecoder.decodeOne(text: record.rawJSON)
        context["frName"] = record.number ?? "#\(record.id)"
        context["frStatus"] = record.upstreamStatus ?? "unknown"
        context["frSeen"] = Self.localTime(record.firstSeen, zone: zone)
        context["shipTo"] = Self.shipTo(fr)
        context["shipBy"] = fr?.shipBy?.description ?? "none"
        context["lines"] = (fr?.items ?? []).map {
            ["sku": $0.sku ?? "(no SKU)", "quantity": $0.quantity] as [String: Any]
        }
        context["answers"] = try await database.answers(forFR: record.id).map { answer -> [String: Any] in
            [
                "kind": answer.kind.rawValue, "state": answer.state.rawValue, "attempts": answer.attempts,
                "queued": Self.localTime(answer.createdAt, zone: zone),
                "updated": Self.localTime(answer.updatedAt, zone: zone), "error": answer.lastError ?? "",
                "next": answer.state == .pending
                    ? answer.nextAttemptAt.map { Self.localTime($0, zone: zone) } ?? "now"
                    : "", "outcome": answer.outcome ?? "",
            ]
        }
        context["shipments"] = try await database.shipments(frId: record.id).map { shipment -> [String: Any] in
            [
                "tracking": shipment.trackingNumber, "carrier": shipment.carrier ?? "", "units": shipment.units,
                "shipped": Self.localTime(shipment.shippedAt, zone: zone), "state": shipment.state.rawValue,
                "error": shipment.lastError ?? "", "from": shipment.source,
            ]
        }
        context["held"] = try await database.heldUnits(frId: record.id).sorted { $0.key < $1.key }.map {
            ["sku": $0.key, "units": $0.value] as [String: Any]
        }
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
