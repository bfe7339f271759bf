import Foundation
import Testing

@testable import SourceAgentCommands

/// Every number a setting takes is bounded at both ends, in one table: each bounded setting is
/// walked with the values that broke readers before (the smallest and largest doubles, zero,
/// minus zero, negatives, NaN, infinities, denormals, a 400-digit number), and each is either
/// inside the stated range or refused with a message naming the setting, the value and the range.
@Suite("Settings: every number bounded at both ends")
struct SettingBoundsTests {
    static let hostile = [
        "5e-324", "4.9e-324", "2.2250738585072014e-308", "1e-300", "1e-21", "1e-19", "0.001", "0", "-0", "-1",
        "-1e308", "1.7976931348623157e308", "1e308", "nan", "NaN", "inf", "-inf", "infinity",
        "1" + String(repeating: "0", count: 400), "0." + String(repeating: "0", count: 400) + "1", "", " ", "1e",
        "0x10", "١", "1_000",
    ]

    @Test("each bounded setting: inside its range or refused naming the setting, the value and the range")
    func walk() throws {
        #expect(SettingBound.bySetting.count == 11)
        for (key, bound) in SettingBound.bySetting {
            for raw in Self.hostile + Self.hostile.map({ $0 + "s" }) {
                let problem = Settings.problem(key, raw)
                if let problem {
                    #expect(problem.hasPrefix("\(key.rawValue) must be"), "\(problem)")
                    #expect(problem.contains(bound.range), "\(problem)")
                    #expect(problem.count < 300, "the value is shortened when echoed: \(problem.count) characters")
                } else {
                    // The fuzz target's independent check of an accepted value, used here too.
                    #expect(
                        FuzzEntryPoints.withinBound(key.rawValue, raw) == true,
                        "\(key.rawValue) accepted \(raw.prefix(40))")
                }
            }
        }
    }

    @Test("the ends themselves are accepted, one step beyond them is not")
    func ends() {
        #expect(Settings.problem(.maxRPS, "0") == nil && Settings.problem(.maxRPS, "0.01") == nil)
        #expect(Settings.problem(.maxRPS, "1000") == nil && Settings.problem(.maxRPS, "1000.5") != nil)
        #expect(Settings.problem(.maxRPS, "0.009") != nil)
        #expect(Settings.problem(.interval, "0.1s") == nil && Settings.problem(.interval, "0.09s") != nil)
        #expect(Settings.problem(.interval, "1d") == nil && Settings.problem(.interval, "86401") != nil)
        #expect(Settings.problem(.trackingSettle, "0s") == nil && Settings.problem(.trackingSettle, "1h") == nil)
        #expect(Settings.problem(.consolePort, "0") == nil && Settings.problem(.metricsPort, "0") != nil)
        #expect(Settings.problem(.metricsPort, "65535") == nil && Settings.problem(.metricsPort, "65536") != nil)
    }

    @Test("the ranges are the ones --help and docs/configuration.md state")
    func stated() throws {
        let docs = try String(contentsOfFile: "docs/configuration.md", encoding: .utf8)
        let help = RunCommand.helpMessage() + SourceAgentCommand.helpMessage(for: RulesApplyCommand.self)
        let flat = help.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for (key, bound) in SettingBound.bySetting {
            #expect(docs.contains("| `\(key.rawValue)` | \(bound.range) |"), "docs/configuration.md: \(key.rawValue)")
            if key != .maxRPS {
                #expect(flat.contains(bound.range), "--help of run: \(key.rawValue)")
            }
        }
        #expect(flat.contains("0 (no limit) or from 0.01 to 1000"))
    }
}
