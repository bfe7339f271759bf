import Foundation
import Logging

/// A folder the warehouse system drops tracking files into.
///
/// A `*.csv` file is imported once it is completely written: its modification time is at
/// least `settle` old (dot-files and other names, the usual temporary names, are never
/// touched). It then moves to `processed/`, or to `failed/` with `NAME.errors.txt` beside it
/// when a row was rejected. A file whose shipments wait for Flxpoint stays for the next
/// cycle; importing it again creates nothing twice, so a crash before the move loses nothing.
public struct TrackingInbox: Sendable {
    let directory: String
    let settle: Duration
    let importer: TrackingImport
    let logger: Logger

    public init(directory: String, settle: Duration = .seconds(5), importer: TrackingImport, logger: Logger) {
        self.directory = directory
        self.settle = settle
        self.importer = importer
        self.logger = logger
    }

    /// What one pass over the folder did, by file name.
    public struct Report: Sendable, Equatable {
        public var processed: [String] = []
        public var failed: [String] = []
        public var waiting: [String] = []
    }

    /// Imports every ready file, oldest first, then sends any shipment left pending earlier.
    public func process(shouldStop: @Sendable () -> Bool = { false }) async throws -> Report {
        var report = Report()
        for name in try readyFiles() {
            if shouldStop() { break }
            let path = (directory as NSString).appendingPathComponent(name)
            let result: TrackingImport.Report
            do {
                result = try await importer.importFile(atPath: path, name: name, origin: .inbox, shouldStop: shouldStop)
            } catch let error as TrackingImport.FileError {
                try move(name, to: "failed", errors: [error.description])
                report.failed.append(name)
                continue
            }
            if result.waiting > 0 {
                report.waiting.append(name)
            } else if result.rejected > 0 {
                try move(name, to: "failed", errors: result.problems + [result.summary])
                report.failed.append(name)
            } else {
                try move(name, to: "processed", errors: nil)
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
