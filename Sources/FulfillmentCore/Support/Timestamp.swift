// Support: small pure helpers: timestamps, CSV and JSON reading and writing, dates.

import Foundation

/// ISO 8601 parsing and formatting for the shapes Flxpoint and our files use.
///
/// Hand-written rather than `ISO8601DateFormatter` because every FR carries several
/// timestamps, the formatter is slow and not `Sendable`, and we must reject zone-less times.
public enum Timestamp {
    /// A parsed ISO 8601 value: a day, or an instant that carried an explicit zone.
    public enum Parsed: Equatable, Sendable {
        case date(LocalDate)
        case instant(Date, offsetSeconds: Int)
    }

    /// Why a string is not a timestamp; the message quotes the text.
    public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        /// What is wrong with the text, naming it.
        public let description: String
    }

    /// Parses `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM[:SS[.fff]]` followed by `Z` or `±HH:MM` / `±HHMM`.
    public static func parse(_ text: String) throws(ParseError) -> Parsed {
        let bytes = Array(text.utf8)
        guard bytes.count >= 10, let date = LocalDate(String(decoding: bytes[0..<10], as: UTF8.self)) else {
            throw ParseError(description: "'\(text)' is not an ISO 8601 date or date-time")
        }
        if bytes.count == 10 { return .date(date) }
        guard bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "), bytes.count >= 16,
            bytes[13] == UInt8(ascii: ":"), let hour = LocalDate.digits(bytes[11..<13]),
            let minute = LocalDate.digits(bytes[14..<16]), hour < 24, minute < 60
        else { throw ParseError(description: "'\(text)' is not an ISO 8601 date-time") }
        var index = 16
        var seconds = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
            guard index + 3 <= bytes.count, let s = LocalDate.digits(bytes[(index + 1)..<(index + 3)]), s < 61 else {
                throw ParseError(description: "'\(text)' has bad seconds")
            }
            seconds = Double(s)
            index += 3
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ",") {
                var scale = 0.1
                index += 1
                let start = index
                while index < bytes.count, let digit = LocalDate.digits(bytes[index..<(index + 1)]) {
                    seconds += Double(digit) * scale
                    scale /= 10
                    index += 1
                }
                guard index > start else { throw ParseError(description: "'\(text)' has an empty fraction") }
            }
        }
        guard index < bytes.count else {
            throw ParseError(description: "'\(text)' has no time zone; add Z or an offset such as -06:00")
        }
        let offset: Int
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == bytes.count else { throw ParseError(description: "'\(text)' has text after Z") }
            offset = 0
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            let rest = Array(bytes[(index + 1)...])
            let hh: Int?
            let mm: Int?
            if rest.count == 5, rest[2] == UInt8(ascii: ":") {
                hh = LocalDate.digits(rest[0..<2])
                mm = LocalDate.digits(rest[3..<5])
            } else if rest.count == 4 {
                hh = LocalDate.digits(rest[0..<2])
                mm = LocalDate.digits(rest[2..<4])
            } else if rest.count == 2 {
                hh = LocalDate.digits(rest[0..<2])
                mm = 0
            } else {
                hh = nil
                mm = nil
            }
            guard let hh, let mm, hh <= 18, mm < 60 else {
                throw ParseError(description: "'\(text)' has a bad UTC offset")
            }
            offset = sign * (hh * 3600 + mm * 60)
        default:
            throw ParseError(description: "'\(text)' has no time zone; add Z or an offset such as -06:00")
        }
        let local = Double(date.dayNumber * 86400 + hour * 3600 + minute * 60) + seconds
        return .instant(Date(timeIntervalSince1970: local - Double(offset)), offsetSeconds: offset)
    }

    /// Parses a value that must be an instant with a zone.
    public static func parseInstant(_ text: String) throws(ParseError) -> Date {
        switch try parse(text) {
        case .instant(let date, _): return date
        case .date: throw ParseError(description: "'\(text)' is a date; a date-time with a zone is needed here")
        }
    }

    /// `2026-11-27T15:00:00Z`: second precision, UTC, as Flxpoint answers.
    public static func utcString(_ date: Date) -> String {
        string(date, offsetSeconds: 0, withSeconds: true)
    }

    /// `2026-11-30T14:00-06:00` in the given zone; seconds shown only when not zero.
    public static func string(_ date: Date, in zone: TimeZone) -> String {
        let offset = zone.secondsFromGMT(for: date)
        let secs = Int((date.timeIntervalSince1970).rounded(.down)) % 60
        return string(date, offsetSeconds: offset, withSeconds: secs != 0)
    }

    static func string(_ date: Date, offsetSeconds offset: Int, withSeconds: Bool) -> String {
        let total = Int(date.timeIntervalSince1970.rounded(.down)) + offset
        let day = LocalDate(dayNumber: Int((Double(total) / 86400).rounded(.down)))
        let secondOfDay = total - day.dayNumber * 86400
        let hh = String(secondOfDay / 3600).leftPadded(to: 2)
        let mm = String(secondOfDay % 3600 / 60).leftPadded(to: 2)
        let ss = withSeconds ? ":" + String(secondOfDay % 60).leftPadded(to: 2) : ""
        if offset == 0 { return "\(day)T\(hh):\(mm)\(ss)Z" }
        let sign = offset < 0 ? "-" : "+"
        let abs = Swift.abs(offset)
        return
            "\(day)T\(hh):\(mm)\(ss)\(sign)\(String(abs / 3600).leftPadded(to: 2)):\(String(abs % 3600 / 60).leftPadded(to: 2))"
    }
}

extension TimeZone {
    /// The calendar day in this zone at `instant`.
    public func localDate(of instant: Date) -> LocalDate {
        let local = instant.timeIntervalSince1970 + Double(secondsFromGMT(for: instant))
        return LocalDate(dayNumber: Int((local / 86400).rounded(.down)))
    }

    /// Minutes since local midnight at `instant`.
    public func minuteOfDay(of instant: Date) -> Int {
        let local = Int((instant.timeIntervalSince1970 + Double(secondsFromGMT(for: instant))).rounded(.down))
        let secondOfDay = ((local % 86400) + 86400) % 86400
        return secondOfDay / 60
    }

    /// The instant at `minute` past local midnight on `day`. In a DST gap the wall time
    /// does not exist and the later offset applies (02:30 on a spring-forward day is 03:30).
    public func instant(on day: LocalDate, minute: Int) -> Date {
        let wall = Double(day.dayNumber * 86400 + minute * 60)
        let guess = Date(timeIntervalSince1970: wall - Double(secondsFromGMT(for: Date(timeIntervalSince1970: wall))))
        let offset = secondsFromGMT(for: guess)
        let candidate = Date(timeIntervalSince1970: wall - Double(offset))
        if secondsFromGMT(for: candidate) == offset { return candidate }
        return Date(timeIntervalSince1970: wall - Double(secondsFromGMT(for: candidate)))
    }
}
