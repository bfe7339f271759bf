import ArgumentParser
import Foundation
import SourceAgent

extension TimeWindow {
    /// `--since` / `--until` of `replay` and `report`: a bad value is a usage error (exit 2).
    static func options(since: String?, until: String?, now: Date, zone: TimeZone) throws -> TimeWindow {
        do {
            return try parse(since: since, until: until, now: now, zone: zone)
        } catch let error as TimeWindowError {
            throw ValidationError(error.description)
        }
    }
}
