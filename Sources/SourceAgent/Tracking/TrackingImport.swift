// Tracking: importing tracking files (and the inbox folder) into shipments sent to Flxpoint.

import AgentStore
import FlxpointAPI
import Foundation
import FulfillmentCore
import Logging

/// Creates shipments from a tracking file.
///
/// Every row is checked before anything is sent; a shipment with a bad row is not sent and
/// the others go on. A valid shipment is recorded first, in the same transaction that turns
/// its units' reservations into `shipped`, and sent afterwards: the same file imported again
/// finds its shipments recorded and creates nothing, and a crash between record and send is
/// resumed by listing the FR's shipments before sending again.
public struct TrackingImport: Sendable {
    /// Where a source's shipments are recorded and sent.
    public struct Route: Sendable {
        public let database: any SourceStore
        public let api: any FlxpointSourceAPI

        public init(database: any SourceStore, api: any FlxpointSourceAPI) {
            self.database = database
            self.api = api
        }

        var source: String { database.source }
    }

    /// One per source, in configuration order.
    let routes: [Route]
    let logger: Logger
    let crash: CrashPoints
    let clock: @Sendable () -> Date

    public init(
        database: any SourceStore, api: any FlxpointSourceAPI, logger: Logger, crash: CrashPoints = CrashPoints(),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.init(routes: [Route(database: database, api: api)], logger: logger, crash: crash, clock: clock)
    }

    /// A file's rows go to the source their `source` column names or, without one, to the
    /// only source that knows the FR.
    public init(
        routes: [Route], logger: Logger, crash: CrashPoints = CrashPoints(),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        precondition(!routes.isEmpty, "a tracking import needs a source")
        self.routes = routes
        self.logger = logger
        self.crash = crash
        self.clock = clock
    }

    /// What an import did; `problems` are `file:line: message` lines for a person.
    public struct Report: Sendable, Equatable {
        public var sent = 0
        public var alreadySent = 0
        public var rejected = 0
        /// Recorded but not confirmed yet (Flxpoint unreachable); sent on the next import or cycle.
        public var waiting = 0
        public var problems: [String] = []
        /// The file was given up on after too many rows could not be shipped.
        public var stopped = false

        public init() {}

        mutating func add(_ other: Report) {
            sent += other.sent
            alreadySent += other.alreadySent
            rejected += other.rejected
            waiting += other.waiting
            problems += other.problems
            stopped = stopped || other.stopped
        }

        /// One line: `2 shipments sent, 0 already sent, 2 rejected`.
        public var summary: String {
            var text = "\(sent) shipment\(sent == 1 ? "" : "s") sent, \(alreadySent) already sent, \(rejected) rejected"
            if waiting > 0 { text += ", \(waiting) waiting for Flxpoint" }
            return text
        }
    }

    /// Where a tracking file came from, as its history shows it.
    public enum Origin: String, Sendable {
        case inbox, command, upload
    }

    /// A file that cannot be read as a tracking file at all.
    public struct FileError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Checks and records every shipment of the file, then sends what is pending.
    public func importFile(
        _ text: String, path: String, origin: Origin = .command, actor: String? = nil,
        shouldStop: @Sendable () -> Bool = { false }
    ) async throws -> Report {
        try await recorded(path, origin: origin, actor: actor) {
            try await importRows(CSVRowReader(text: text), path: path, shouldStop: shouldStop)
        }
    }

    /// Imports the file at `path`, read as it is parsed (see `CSVFile`); `name` is how
    /// problems refer to it.
    public func importFile(
        atPath path: String, name: String, origin: Origin = .command, shouldStop: @Sendable () -> Bool = { false }
    ) async throws -> Report {
        try await recorded(name, origin: origin, actor: nil) {
            do {
                return try await importRows(CSVFile.rows(atPath: path), path: name, shouldStop: shouldStop)
            } catch let error as CSVFile.Unreadable {
                throw FileError(description: error.description)
            }
        }
    }

    /// Runs an import and keeps the file's outcome in its history (the console's shipments
    /// page), a file that could not be read at all included.
    private func recorded(
        _ name: String, origin: Origin, actor: String?, _ body: () async throws -> Report
    ) async throws -> Report {
        let outcome: Result<Report, FileError>
        do {
            outcome = .success(try await body())
        } catch let error as FileError {
            outcome = .failure(error)
        }
        if let store = routes.first?.database {
            var report = (try? outcome.get()) ?? Report()
            if case .failure(let error) = outcome { report.problems = [error.description] }
            try await store.recordTrackingFile(
                TrackingFileRecord(
                    name: name, origin: origin.rawValue, actor: actor, at: clock(), sent: report.sent,
                    alreadySent: report.alreadySent, rejected: report.rejected, waiting: report.waiting,
                    problems: report.problems.joined(separator: "\n")))
        }
        return try outcome.get()
    }

    private func importRows(
        _ rows: CSVRowReader, path: String, shouldStop: @Sendable () -> Bool
    ) async throws -> Report {
        let parsed: TrackingFile.Parsed
        switch TrackingFile.parse(rows) {
        case .success(let value): parsed = value
        case .failure(let error): throw FileError(description: error.rendered(path: path))
        }
        var report = Report()
        for row in parsed.orphans {
            report.rejected += 1
            report.problems += row.problems.map { "\(path):\(row.line): \($0)" }
        }
        var frs: [String: KnownFR?] = [:]
        // Units claimed by earlier shipments of this file, per source, FR and SKU.
        var claimed: [String: [String: Int]] = [:]
        for group in parsed.groups {
            // Rows naming FRs nobody has count against the file's bound as unreadable rows
            // do (orphans are counted in `rejected` already): a file of a million of them is
            // the wrong file, not a million problems.
            if report.rejected > TrackingFile.maxBadRows {
                report.stopped = true
                report.problems.append(
                    "\(path):\(group.lines[0]): stopped: more than \(TrackingFile.maxBadRows) rows cannot be "
                        + "shipped; is this the tracking file for this account? Shipments before this line are kept")
                break
            }
            let route: Route
            switch try await self.route(for: group, path: path) {
            case .success(let found): route = found
            case .failure(let refusal):
                report.rejected += 1
                report.problems.append(refusal.description)
                continue
            }
            let key = route.source + "\u{0}" + group.fr
            if frs[key] == nil { frs[key] = await .some(try StoredFRs.shippable(group.fr, from: route.database)) }
            switch try await check(group, fr: frs[key] ?? nil, route: route, claimed: &claimed, path: path) {
            case .rejected(let problems):
                report.rejected += 1
                report.problems += problems
                if group.rows.count > 1 {
                    report.problems.append(
                        "\(path):\(group.lineList): shipment "
                            + "\(group.trackingNumber) for \(group.fr) not sent (all its lines go together)")
                }
            case .existing(let record):
                switch record.state {
                case .done: report.alreadySent += 1
                case .pending: break  // sent below
                case .failed:
                    report.rejected += 1
                    report.problems.append(
                        "\(path):\(group.lines[0]): shipment \(group.trackingNumber) for \(group.fr) was refused "
                            + "earlier: \(record.lastError ?? "no reason given")")
                }
            case .valid(let record, let units):
                let (stored, isNew) = try await route.database.recordShipment(record, units: units)
                if !isNew && stored.state == .done { report.alreadySent += 1 }
            }
        }
        report.add(try await sendPending(shouldStop: shouldStop))
        logger.info(
            "tracking file imported",
            metadata: [
                "tracking.file": "\(path)", "tracking.sent": "\(report.sent)",
                "tracking.already_sent": "\(report.alreadySent)", "tracking.rejected": "\(report.rejected)",
            ])
        return report
    }

    /// Sends every recorded shipment Flxpoint has not confirmed yet, source by source, oldest
    /// first. A row tried before is first looked for among the FR's shipments, so it is never
    /// created twice. One source's outage does not keep the others' shipments back.
    public func sendPending(shouldStop: @Sendable () -> Bool = { false }) async throws -> Report {
        var report = Report()
        for route in routes { report.add(try await sendPending(route, shouldStop: shouldStop)) }
        return report
    }

    private func sendPending(_ route: Route, shouldStop: @Sendable () -> Bool) async throws -> Report {
        let (database, api) = (route.database, route.api)
        var report = Report()
        let pending = try await database.pendingShipments()
        for (index, row) in pending.enumerated() {
            guard let id = row.id else { continue }
            if shouldStop() {
                report.waiting += pending.count - index
                break
            }
            let meta: Logger.Metadata = ["fr.id": "\(row.frId)", "shipment.tracking": "\(row.trackingNumber)"]
            do {
                if row.attempts > 0,
                    try await api.shipments(frId: row.frId).contains(where: { $0.trackingNumber == row.trackingNumber })
                {
                    try await database.finishShipment(id, state: .done, error: nil, at: clock())
                    report.sent += 1
                    continue
                }
                let body = try JSONDecoder().decode(ShipmentCreateRequest.self, from: Data(row.bodyJSON.utf8))
                try await database.markShipmentAttempt(id, at: clock())
                crash.reach("before-shipment-send")
                let outcome = try await api.createShipment(body)
                crash.reach("after-shipment-send")
                try await database.finishShipment(id, state: .done, error: nil, at: clock())
                if outcome == .alreadyDone { report.alreadySent += 1 } else { report.sent += 1 }
            } catch let error as FlxpointError where error.isPermanentRefusal {
                try await database.finishShipment(id, state: .failed, error: error.description, at: clock())
                report.rejected += 1
                report.problems.append("\(row.source): Flxpoint refused shipment \(row.trackingNumber): \(error)")
                logger.error("Flxpoint refused a shipment", metadata: meta.merging(["error": "\(error)"]) { $1 })
            } catch let error as FlxpointError {
                try await database.finishShipment(id, state: .pending, error: error.description, at: clock())
                report.waiting += pending.count - index
                logger.warning(
                    "shipment not sent; it is sent on the next import or cycle",
                    metadata: meta.merging(["error": "\(error)"]) { $1 })
                break
            }
        }
        return report
    }
}
