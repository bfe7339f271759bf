import HTTPTypes
import Mustache
import Synchronization

/// What a template reads: the page's own typed model first, then the sections it shares
/// with other pages (the fleet's), then the header's `PageFrame`. Mustache looks names up in
/// these values by reflection, so each page's data is a struct the compiler checks; the
/// template tests render every page and fail on a name no part has (`unknownNames`).
struct PageContext: MustacheParent {
    /// The parts, searched in order for each name.
    let parts: [any Sendable]

    init(_ frame: PageFrame, _ parts: [any Sendable]) {
        self.parts = parts + [frame]
    }

    /// Names a template asked for that no part has, when a test collects them: a misspelt
    /// name would otherwise render as nothing.
    @TaskLocal static var unknownNames: UnknownNames?

    /// The names no part had, collected while rendering.
    final class UnknownNames: Sendable {
        private let names = Mutex<Set<String>>([])
        func insert(_ name: String) { names.withLock { _ = $0.insert(name) } }
        var all: Set<String> { names.withLock { $0 } }
    }

    func child(named name: String) -> Any? {
        for part in parts {
            guard let value = Mirror(reflecting: part).children.first(where: { $0.label == name })?.value else {
                continue
            }
            let optional = Mirror(reflecting: value)
            // An optional that is nil is an absent value: the section is not shown.
            guard optional.displayStyle == .optional else { return value }
            return optional.children.first?.value
        }
        Self.unknownNames?.insert(name)
        return nil
    }
}

/// Every page's header and the fields its forms share.
struct PageFrame: Sendable {
    var title: String
    /// Without logins every form asks for a name.
    var askName: Bool
    var query = ""
    /// The reasons a person may cancel with.
    var reasons: [String]
    var source: String
    var multi: Bool
    var sources: [SourceLink]
    var person: String?
    var role: String?
    var signedIn = false
    var canAct: Bool
    var canEditRules: Bool
    /// The CSRF token of this person's forms.
    var csrf = ""
    /// The name this browser gave last (without logins).
    var rememberedName: String?
    /// A live page's stamp and name (see `ConsoleLive`).
    var live: String?
    var livePage: String?
    var hideNav = false

    /// One source in the header's list.
    struct SourceLink: Sendable {
        let name: String
        let current: Bool
    }
}

/// A page to show: its template, the header's frame, the page's typed parts and the status
/// it is sent with.
struct Shown: Sendable {
    let page: ConsoleTemplates.Page
    var frame: PageFrame
    let parts: [any Sendable]
    var status: HTTPResponse.Status = .ok

    init(_ page: ConsoleTemplates.Page, _ frame: PageFrame, _ parts: any Sendable..., status: HTTPResponse.Status = .ok)
    {
        self.page = page
        self.frame = frame
        self.parts = parts
        self.status = status
    }

    /// The page's HTML.
    var html: String { ConsoleTemplates.render(page, PageContext(frame, parts)) }
}

/// The result page: what an action did (`notice`) or why it was refused (`refused`), with a
/// link to the FR it was about.
struct ResultPage: Sendable {
    var kind: String
    var message: String
    var frId: String?

    static func notice(_ message: String, frId: String? = nil) -> ResultPage {
        ResultPage(kind: "notice", message: message, frId: frId)
    }

    static func refused(_ message: String, frId: String? = nil) -> ResultPage {
        ResultPage(kind: "refused", message: message, frId: frId)
    }
}

/// A moment as a person reads it ("6 days ago") with the exact local time shown on hover.
struct Moment: Sendable {
    let text: String
    let exact: String
}
