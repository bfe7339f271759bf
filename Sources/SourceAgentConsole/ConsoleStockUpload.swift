import AgentStore
import Foundation
import FulfillmentCore
import SourceAgent

/// A stock count uploaded in the console: checked and compared with the counts in force
/// (`preview`), then imported, all rows or none, once a person confirms (`confirm`), exactly as
/// `stock import` would. Between the two the file waits here, so what is imported is what was
/// previewed.
actor StockUploads {
    /// One previewed upload.
    struct Upload: Sendable {
        let source: String
        let fileName: String
        let levels: [StockLevel]
        let at: Date
    }

    private var uploads: [String: Upload] = [:]
    /// How long a previewed upload waits for its confirmation.
    static let keptFor: TimeInterval = 30 * 60

    /// Keeps an upload; returns the token its confirmation names.
    func keep(_ upload: Upload) -> String {
        uploads = uploads.filter { upload.at.timeIntervalSince($0.value.at) < Self.keptFor }
        let token = ConsoleAccess.randomToken()
        uploads[token] = upload
        return token
    }

    /// The upload a confirmation names, taken out (nil when unknown or expired).
    func take(_ token: String, now: Date) -> Upload? {
        guard let upload = uploads.removeValue(forKey: token), now.timeIntervalSince(upload.at) < Self.keptFor else {
            return nil
        }
        return upload
    }

    /// Puts an upload back (its import was refused and may be confirmed again).
    func restore(_ token: String, _ upload: Upload) { uploads[token] = upload }
}

/// What an uploaded count changes, per SKU and location.
struct StockChanges {
    /// One SKU at one location: its count before and in the file.
    struct Change {
        var sku: String
        var location: String
        var before: Int?
        var after: Int?
    }

    var up: [Change] = []
    var down: [Change] = []
    var added: [Change] = []
    var missing: [Change] = []
    var unchanged = 0

    init(current: [StockPosition], uploaded: [StockLevel]) {
        var before: [String: StockPosition] = [:]
        for position in current where position.counted > 0 {
            before[position.sku + "\u{0}" + position.location] = position
        }
        var seen: Set<String> = []
        for level in uploaded {
            let key = level.sku + "\u{0}" + level.location
            seen.insert(key)
            let change = Change(
                sku: level.sku, location: level.location, before: before[key]?.counted, after: level.onHand)
            switch change.before {
            case nil: added.append(change)
            case let old? where level.onHand > old: up.append(change)
            case let old? where level.onHand < old: down.append(change)
            default: unchanged += 1
            }
        }
        for (key, position) in before where !seen.contains(key) {
            missing.append(Change(sku: position.sku, location: position.location, before: position.counted, after: nil))
        }
        missing.sort { ($0.sku, $0.location) < ($1.sku, $1.location) }
    }

    /// A change as the preview lists it.
    struct Row: Sendable {
        var sku: String
        var location: String
        var before: String
        var after: String
    }

    /// Rows for a page, at most `limit` per kind.
    static func rows(_ changes: [Change], limit: Int = 200) -> [Row] {
        changes.prefix(limit).map {
            Row(
                sku: $0.sku, location: $0.location, before: $0.before.map(String.init) ?? "—",
                after: $0.after.map(String.init) ?? "not in the file")
        }
    }
}
