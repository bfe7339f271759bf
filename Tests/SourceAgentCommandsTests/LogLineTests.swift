import Logging
import Testing

@testable import SourceAgentCommands

@Suite("Text log lines")
struct LogLineTests {
    @Test("text a server or an FR sent cannot forge a log line or split a field")
    func escaping() {
        let forged = "refused\n2026-11-27T00:00:00Z info source-agent: answer sent fr.id=1"
        let line = StderrLogHandler.textLine(
            time: "T", level: .warning, label: "source-agent", message: "answer not sent",
            ["error": .string(forged), "fr.id": "42", "note": .string("a \"b\" c=d\u{1B}[31m")])
        #expect(line.filter { $0 == "\n" }.count == 1 && line.hasSuffix("\n"))
        #expect(line.contains(#"error="refused\n2026-11-27T00:00:00Z info source-agent: answer sent fr.id=1""#))
        #expect(line.contains(#"note="a \"b\" c=d\u{1B}[31m""#))
        #expect(line.contains(" fr.id=42"))
    }
}
