import Foundation
import FulfillmentCore
import SourceAgent

/// A form a person acts through: who acts (`by`, asked for when there are no logins) and the
/// source it is about. Every form also carries `csrf`, which `CSRFGuard` checks.
protocol ActorForm: Decodable {
    var by: String? { get }
    var source: String? { get }
}

/// Pause or resume: nothing but who.
struct PersonForm: ActorForm {
    var by: String?
    var source: String?
}

/// A hold decided: the hold queue's buttons.
struct DecideForm: ActorForm {
    var by: String?
    var source: String?
    var fr: String?
    var action: String?
    var reason: String?
    var remainder: String?
    var until: String?
    var note: String?
    var force: String?

    /// The decision the form's button asked for.
    func action(now: Date) -> Result<ManualAction, ConsoleForms.Unreadable> {
        let remainder = Remainder(rawValue: remainder ?? "fill") ?? .fill
        switch action {
        case "acknowledge": return .success(.acknowledge(force: force == "1"))
        case "split": return .success(.split(remainder: remainder))
        case "cancel":
            guard let reason = DecisionReason(rawValue: reason ?? ""),
                DecisionReason.ruleFileReasons.contains(reason)
            else { return .failure(ConsoleForms.Unreadable(description: "Pick a reason to cancel.")) }
            return .success(.cancel(reason: reason, remainder: remainder))
        case "keep-holding":
            let until = (until ?? "").trimmingCharacters(in: .whitespaces)
            if until.isEmpty { return .success(.keepHolding(until: nil)) }
            guard let end = DurationText.until(until, now: now) else {
                return .failure(
                    ConsoleForms.Unreadable(
                        description:
                            "'Hold until' must be a duration such as 4h or a time such as 2026-12-01T09:00:00Z."))
            }
            return .success(.keepHolding(until: end))
        default: return .failure(ConsoleForms.Unreadable(description: "Unknown action."))
        }
    }
}

/// Failed answers to retry: the ticked ones (`fr[]`) or all.
struct RetryForm: ActorForm {
    var by: String?
    var source: String?
    var fr: [String]?
    var all: String?
}

/// A previewed stock count confirmed.
struct StockImportForm: ActorForm {
    var by: String?
    var source: String?
    var token: String?
    var allowShrink: String?

    enum CodingKeys: String, CodingKey {
        case by, source, token
        case allowShrink = "allow_shrink"
    }
}

/// A file uploaded: a stock count to preview or a tracking file.
struct UploadForm: ActorForm {
    var by: String?
    var source: String?
    var file: UploadedFile?
}

/// The rules page's edit box: check, preview or apply.
struct RulesEditForm: ActorForm {
    var by: String?
    var source: String?
    var text: String?
    var step: String?
    var days: String?
    var note: String?
    var base: String?
}

/// A kept rule version put back in force.
struct RulesRevertForm: ActorForm {
    var by: String?
    var source: String?
    var id: String?
}

/// The sign-in form.
struct SignInForm: Decodable {
    var name: String?
    var password: String?
    var next: String?
}
