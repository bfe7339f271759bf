import Foundation

/// Alerts waiting for the webhook, kept so a restart delivers them.
public protocol AlertStore: Sendable {
    /// Queues an alert unless it repeats one: the same event for the same FR is kept once
    /// ever; an event without an FR once per `window`. Returns whether it was queued.
    @discardableResult
    func queueAlert(event: String, frId: Int?, payloadJSON: String, window: TimeInterval, at now: Date) async throws
        -> Bool
    /// Alerts due for delivery, oldest first, at most `limit`, of every source: one webhook
    /// carries them all (each payload names its source).
    func dueAlerts(at now: Date, limit: Int) async throws -> [AlertRecord]
    /// Records one delivery attempt: sent, or failed with the time of the next try (nil: give up).
    func finishAlert(_ id: Int64, sent: Bool, error: String?, retryAt: Date?) async throws
    /// Every alert, oldest first, for checks.
    func alerts() async throws -> [AlertRecord]
}
