import Foundation
import FulfillmentCore

/// How often and how long to retry 429, 5xx, time-outs and dropped connections.
public struct RetryPolicy: Sendable, Equatable {
    /// Total attempts, the first included.
    public var maxAttempts: Int
    /// The first back-off; each retry doubles it, with jitter, up to `maxDelay`.
    public var baseDelay: Duration
    public var maxDelay: Duration

    public init(maxAttempts: Int = 6, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(60)) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// Exponential back-off with "equal jitter": half the step fixed, half random, so retries
    /// from many callers spread out but never shrink to nothing.
    public func delay(afterAttempt attempt: Int) -> Duration {
        let factor = pow(2.0, Double(max(0, attempt - 1)))
        let step = min(maxDelay.timeInterval, baseDelay.timeInterval * factor)
        return .seconds(step / 2 + Double.random(in: 0...(step / 2)))
    }

}

/// `Retry-After` in delta-seconds or as an HTTP-date.
enum RetryAfter {
    static func parse(_ value: String?, now: Date = Date()) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value), seconds >= 0 { return .seconds(min(seconds, 3600)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return .seconds(min(3600, max(0, date.timeIntervalSince(now))))
    }
}

/// Whether a write that failed without a clear answer happened.
public enum Reconciliation<Value: Sendable>: Sendable {
    /// Flxpoint shows the write took effect.
    case done(Value)
    /// Flxpoint shows it did not: sending again is safe.
    case notDone
}
