import Mustache

/// The console's pages: one template per page (`Templates/`), each rendering a typed model
/// (`Pages/`). Mustache's `{{value}}` escapes `& < > " '`, and no template uses the unescaped
/// `{{{ }}}` form, so nothing from an FR, a note or a form can become markup. The pages work
/// without JavaScript: every action is a plain form POST.
enum ConsoleTemplates {
    /// A page the console shows; the raw value is its template's name.
    enum Page: String, CaseIterable, Sendable {
        case overview, holds, fr, result, decisions, answers, reports, stock, stockPreview, shipments
        case trackingResult, login, audit, rules, ruleVersion, rulesApplied
    }

    /// Every template by name: the pages and the parts they include.
    static var texts: [(String, String)] {
        [
            ("head", head), ("foot", foot), ("decideForm", decideForm), ("diffTable", diffTable),
            ("fleetRules", fleetRules), ("fleetLeases", fleetLeases), ("overview", overview), ("holds", holds),
            ("fr", fr), ("result", result), ("decisions", decisions), ("answers", answers), ("reports", reports),
            ("stock", stock), ("stockPreview", stockPreview), ("shipments", shipments),
            ("trackingResult", trackingResult), ("login", login), ("audit", audit), ("rules", rules),
            ("ruleVersion", ruleVersion), ("rulesApplied", rulesApplied),
        ]
    }

    /// A template that does not parse: which one and why.
    struct Unparsable: Error, CustomStringConvertible {
        let name: String
        let reason: String
        var description: String { "the console's \(name) template does not parse: \(reason)" }
    }

    /// The templates, parsed once. The console checks this before it listens, so a broken
    /// template stops `run` with its name rather than showing blank pages.
    static let library: Result<MustacheLibrary, Unparsable> = {
        var library = MustacheLibrary()
        for (name, text) in texts {
            do {
                try library.register(text, named: name)
            } catch {
                return .failure(Unparsable(name: name, reason: "\(error)"))
            }
        }
        return .success(library)
    }()

    /// `page` rendered from its model, the shared sections and the header's frame.
    static func render(_ page: Page, _ context: PageContext) -> String {
        guard case .success(let library) = library else { return "" }
        return library.render(context, withTemplate: page.rawValue) ?? ""
    }
}
