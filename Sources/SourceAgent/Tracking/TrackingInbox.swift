import AgentStore
import Foundation
import FulfillmentCore
import Logging
import Synchronization

/// A folder the warehouse system drops tracking files into.
///
/// A `*.csv` file is imported once it is completely written: its modification time is at
/// least `settle` old (dot-files and other names, the usual temporary names, are never
/// touched). It then moves to `processed/`, or to `failed/` with `NAME.errors.txt` beside it
/// when a row was rejected. A file whose shipments wait for Flxpoint stays for the next
/// cycle; importing it again creates nothing twice, so a crash before the move loses nothing.
///
/// The folder may be shared by the machines of a fleet (NFS, SMB): each file is claimed in
/// the store, by name and content digest, before it is read for import, so one process imports
/// it. The claim lasts `claimFor` and is renewed while the import runs; a process that dies
/// mid-file leaves a claim that runs out, and the next process to look finishes the file. A
/// file is moved out of the folder only after its shipments are recorded, and its claim is
/// marked done only after the move.
public struct TrackingInbox: Sendable {
    let directory: String
    let settle: Duration
    let importer: TrackingImport
    let logger: Logger
    let claims: Claims?

    /// Where and as whom this process claims the files it imports.
    public struct Claims: Sendable {
        let store: any FleetStore
        let holder: String
        let claimFor: Duration
        let clock: @Sendable () -> Date

        public init(
            store: any FleetStore, holder: String, claimFor: Duration, clock: @escaping @Sendable () -> Date
        ) {
            self.store = store
            self.holder = holder
            self.claimFor = claimFor
            self.clock = clock
        }

        func claim(_ name: String, _ sha: String) async throws -> InboxClaimOutcome {
            let now = clock()
            return try await store.claimInboxFile(
                name: name, sha256: sha, holder: holder, until: now.addingTimeInterval(claimFor.timeInterval), at: now)
        }

        func finish(_ name: String, _ sha: String, done: Bool) async throws {
            try await store.finishInboxClaim(name: name, sha256: sha, holder: holder, done: done, at: clock())
        }
    }

    public init(
        directory: String, settle: Duration = .seconds(5), importer: TrackingImport, logger: Logger,
        claims: Claims? = nil
    ) {
        self.directory = directory
        self.settle = settle
        self.importer = importer
        self.logger = logger
        self.claims = claims
    }

    /// What one pass over the folder did, by file name.
    public struct Report: Sendable, Equatable {
        public var processed: [String] = []
        public var failed: [String] = []
        public var waiting: [String] = []
        /// Files another live process of the fleet is importing now.
        public var elsewhere: [String] = []
    }

    /// Imports every ready file, oldest first, then sends any shipment left pending earlier.
    public func process(shouldStop: @Sendable () -> Bool = { false }) async throws -> Report {
        var report = Report()
        for name in try readyFiles() {
            if shouldStop() { break }
            let path = (directory as NSString).appendingPathComponent(name)
            guard let claimed = try await claim(name, path: path, report: &report) else { continue }
            let lost = ClaimLost()
            let renewing = claimed.flatMap { renew($0, name: name, lost: lost) }
            let result: TrackingImport.Report
            do {
                result = try await importer.importFile(
                    atPath: path, name: name, origin: .inbox, shouldStop: { shouldStop() || lost.isSet })
            } catch let error as TrackingImport.FileError {
                renewing?.cancel()
                try move(name, to: "failed", errors: [error.description])
                try await finish(name, claimed, done: true)
                report.failed.append(name)
                continue
            } catch {
                renewing?.cancel()
                try? await finish(name, claimed, done: false)
                throw error
            }
            renewing?.cancel()
            if lost.isSet {
                // Another process took the file over (this one was too slow to renew): it finishes it.
                report.elsewhere.append(name)
                continue
            }
            if result.waiting > 0 {
                report.waiting.append(name)
                try await finish(name, claimed, done: false)
            } else if result.rejected > 0 {
                try move(name, to: "failed", errors: result.problems + [result.summary])
                try await finish(name, claimed, done: true)
                report.failed.append(name)
            } else {
                try move(name, to: "processed", errors: nil)
                try await finish(name, claimed, done: true)
                report.processed.append(name)
            }
            logger.notice(
                "tracking inbox file handled",
                metadata: ["tracking.file": "\(name)", "tracking.summary": "\(result.summary)"])
        }
        if report.processed.isEmpty && report.failed.isEmpty && report.waiting.isEmpty {
            _ = try await importer.sendPending(shouldStop: shouldStop)
        }
        return report
    }

    /// Claims the file for this process. Returns nil when it is not this process's to import
    /// now (another imports it, it vanished, or it was imported already and is only moved
    /// out); else the claimed digest (nil inside: no claims kept, one process alone).
    private func claim(_ name: String, path: String, report: inout Report) async throws -> String?? {
        guard let claims else { return .some(nil) }
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let sha = SHA256.hex(Array(data))
        switch try await claims.claim(name, sha) {
        case .claimed:
            return .some(sha)
        case .taken:
            report.elsewhere.append(name)
            return nil
        case .done:
            // The same name and content was imported before: a second drop of the same file.
            logger.notice(
                "tracking inbox file already imported; moved to processed/", metadata: ["tracking.file": "\(name)"])
            try move(name, to: "processed", errors: nil)
            report.processed.append(name)
            return nil
        }
    }

    /// Renews the claim until cancelled; a renewal that finds another holder sets `lost`.
    private func renew(_ sha: String, name: String, lost: ClaimLost) -> Task<Void, Never>? {
        guard let claims else { return nil }
        return Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: claims.claimFor / 3)
                if Task.isCancelled { return }
                if case .claimed = (try? await claims.claim(name, sha)) ?? .claimed { continue }
                lost.set()
                return
            }
        }
    }

    private func finish(_ name: String, _ sha: String?, done: Bool) async throws {
        guard let claims, let sha else { return }
        try await claims.finish(name, sha, done: done)
    }

    /// `*.csv` files whose last change is at least `settle` old, oldest first.
    func readyFiles() throws -> [String] {
        let manager = FileManager.default
        let now = Date()
        var ready: [(name: String, modified: Date)] = []
        for name in try manager.contentsOfDirectory(atPath: directory)
        where name.lowercased().hasSuffix(".csv") && !name.hasPrefix(".") && !name.hasPrefix("~") {
            let path = (directory as NSString).appendingPathComponent(name)
            let attributes = try? manager.attributesOfItem(atPath: path)
            guard attributes?[.type] as? FileAttributeType == .typeRegular,
                let modified = attributes?[.modificationDate] as? Date,
                now.timeIntervalSince(modified) >= settle.timeInterval
            else { continue }
            ready.append((name, modified))
        }
        return ready.sorted { ($0.modified, $0.name) < ($1.modified, $1.name) }.map(\.name)
    }

    /// Moves the file into `folder/` under a name not yet taken there, the errors beside it.
    private func move(_ name: String, to folder: String, errors: [String]?) throws {
        let manager = FileManager.default
        let target = (directory as NSString).appendingPathComponent(folder)
        try manager.createDirectory(atPath: target, withIntermediateDirectories: true)
        var destination = name
        var counter = 1
        while manager.fileExists(atPath: (target as NSString).appendingPathComponent(destination)) {
            counter += 1
            destination = ((name as NSString).deletingPathExtension) + "-\(counter).csv"
        }
        if let errors {
            try PrivateFile.write(
                errors.joined(separator: "\n") + "\n",
                to: (target as NSString).appendingPathComponent(destination + ".errors.txt"))
        }
        try manager.moveItem(
            atPath: (directory as NSString).appendingPathComponent(name),
            toPath: (target as NSString).appendingPathComponent(destination))
    }
}

/// Set once another process took over a file this one was importing.
final class ClaimLost: Sendable {
    private let value = Mutex(false)

    var isSet: Bool { value.withLock { $0 } }

    func set() { value.withLock { $0 = true } }
}
