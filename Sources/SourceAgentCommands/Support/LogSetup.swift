import Foundation
import FulfillmentCore
import Logging
import Synchronization

/// Log lines on stderr, as text or one JSON object per line.
public enum LogFormat: String, CaseIterable, Sendable {
    case text, json
}

/// Bootstraps logging once, from the entry point.
public enum LogSetup {
    /// The format every handler writes in. Set from the command line at bootstrap, and again
    /// by `run` once its settings (the config file's `log_format` among them) are resolved.
    static let format = Mutex(LogFormat.text)

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
        Self.format.withLock { $0 = format }
        LoggingSystem.bootstrap { label in
            var handler = StderrLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
    }
}

/// Writes each log event as one line on stderr.
struct StderrLogHandler: LogHandler {
    let label: String
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    init(label: String) {
        self.label = label
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let time = Timestamp.utcString(AgentClock.now())
        let line: String
        switch LogSetup.format.withLock({ $0 }) {
        case .text:
            line = Self.textLine(time: time, level: event.level, label: label, message: "\(event.message)", merged)
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

    /// One text line. Control characters in the message and values are escaped (`\n`,
    /// `\u{1B}`), and a value with a space, `=` or `"` is quoted, so text a server or an FR
    /// sent can never start a forged log line or split a field.
    static func textLine(
        time: String, level: Logger.Level, label: String, message: String, _ metadata: Logger.Metadata
    ) -> String {
        let fields = metadata.sorted { $0.key < $1.key }.map { "\(escaped($0.key))=\(value("\($0.value)"))" }
        return
            "\(time) \(level) \(label): \(escaped(message))\(fields.isEmpty ? "" : " " + fields.joined(separator: " "))\n"
    }

    static func value(_ text: String) -> String {
        let safe = escaped(text)
        guard safe.isEmpty || safe.contains(where: { $0 == " " || $0 == "=" || $0 == "\"" }) else { return safe }
        return "\"" + safe.replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\\": out += "\\\\"
            case _
            where scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value)
                || scalar == "\u{2028}" || scalar == "\u{2029}":
                out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
