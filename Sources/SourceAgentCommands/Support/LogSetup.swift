import Foundation
import Logging

/// Log lines on stderr, as text or one JSON object per line.
public enum LogFormat: String, CaseIterable, Sendable {
    case text, json
}

/// Bootstraps logging once, from the entry point.
public enum LogSetup {
    /// `--log-format` (or `SOURCE_AGENT_LOG_FORMAT`) read before argument parsing, because
    /// logging must be set up before any command runs.
    public static func bootstrap(arguments: [String] = CommandLine.arguments) {
        var format = LogFormat(rawValue: ProcessInfo.processInfo.environment["SOURCE_AGENT_LOG_FORMAT"] ?? "") ?? .text
        if let index = arguments.firstIndex(of: "--log-format"), index + 1 < arguments.count,
            let chosen = LogFormat(rawValue: arguments[index + 1])
        {
            format = chosen
        }
        let level = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        let chosen = format
        LoggingSystem.bootstrap { label in
            var handler = StderrLogHandler(label: label, format: chosen)
            handler.logLevel = level
            return handler
        }
    }
}

/// Writes each log event as one line on stderr.
struct StderrLogHandler: LogHandler {
    let label: String
    let format: LogFormat
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    init(label: String, format: LogFormat) {
        self.label = label
        self.format = format
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let time = ISO8601DateFormatter().string(from: Date())
        let line: String
        switch format {
        case .text:
            let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            line = "\(time) \(event.level) \(label): \(event.message)\(fields.isEmpty ? "" : " " + fields)\n"
        case .json:
            var object: [String: String] = [
                "time": time, "level": "\(event.level)", "logger": label, "message": "\(event.message)",
            ]
            for (key, value) in merged { object[key] = "\(value)" }
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            line = String(decoding: data, as: UTF8.self) + "\n"
        }
        FileHandle.standardError.write(Data(line.utf8))
    }
}
