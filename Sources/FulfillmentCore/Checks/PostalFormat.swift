/// Postal code formats per country (Google's i18n address metadata), the lenient forms
/// carriers accept, and postal code agreement with the state or province.
enum PostalFormat {
    /// A country's postal code shape.
    struct Format {
        /// Nil for a country without postal codes.
        let pattern: CompiledPattern?
        /// Whether an address there needs one (Google's `require` has `Z`).
        let required: Bool
        /// Example codes from the metadata.
        let examples: [String]
    }

    static let formats: [String: Format] = {
        var out: [String: Format] = [:]
        for row in ReferenceData.rows(ReferenceData.postalFormats) where row.count == 4 {
            out[row[0]] = Format(
                pattern: row[1].isEmpty ? nil : try! CompiledPattern("^(?:\(row[1]))$"), required: row[2] == "Y",
                examples: row[3].split(separator: ",").map(String.init))
        }
        return out
    }()

    /// Province → the postal code prefixes it serves; a prefix may serve two provinces.
    private static let canadianPrefixes: [String: CompiledPattern] = {
        var out: [String: CompiledPattern] = [:]
        for row in ReferenceData.rows(ReferenceData.canadianPrefixes) where row.count == 2 {
            out[row[0]] = try! CompiledPattern("^(?:\(row[1]))")
        }
        return out
    }()

    /// Countries and territories that use US ZIP codes.
    private static let zipCountries: Set<String> = ["US", "PR", "GU", "VI", "AS", "MP", "UM", "FM", "MH", "PW"]

    private static let zipPlusFour = try! CompiledPattern(#"^\d{5}[ -]?\d{4}$"#)
    private static let canadianCompact = try! CompiledPattern(#"^[A-Z]\d[A-Z]\d[A-Z]\d$"#)
    private static let britishCompact = try! CompiledPattern(#"^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$"#)
    private static let bfpoCompact = try! CompiledPattern(#"^BFPO\d{1,4}$"#)
    private static let frenchSpaced = try! CompiledPattern(#"^\d{2} \d{3}$"#)

    static func requiresPostal(_ country: String) -> Bool { formats[country]?.required ?? false }

    /// The code as carriers print it: upper case, single spaces, ZIP+4 with a hyphen, a French
    /// code without its space, Canadian and British codes with the space before the last three.
    static func normalize(_ postal: String, country: String) -> String {
        let text = postal.uppercased().split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        let compact = text.contains(" ") ? text.filter { $0 != " " } : text
        switch country {
        case _ where text.utf8.count >= 9 && zipCountries.contains(country) && zipPlusFour.matches(text):
            let digits = text.filter(\.isNumber)
            return String(digits.prefix(5)) + "-" + String(digits.suffix(4))
        case "FR" where frenchSpaced.matches(text):
            return compact
        case "CA" where canadianCompact.matches(compact):
            return String(compact.prefix(3)) + " " + String(compact.suffix(3))
        case "GB" where bfpoCompact.matches(compact):
            return "BFPO " + compact.dropFirst(4)
        case "GB" where britishCompact.matches(compact):
            return String(compact.dropLast(3)) + " " + String(compact.suffix(3))
        default:
            return text
        }
    }

    /// `postal` is normalised. A country without postal codes accepts whatever was sent.
    static func isValid(_ postal: String, country: String) -> Bool {
        guard let pattern = formats[country]?.pattern else { return true }
        return pattern.matches(postal)
    }

    /// False only when the code cannot belong to the state: a ZIP prefix shared by two
    /// states accepts both, and an unknown prefix is given the benefit of the doubt.
    static func postal(_ postal: String, fits state: String, country: String) -> Bool {
        switch country {
        case "US":
            guard let states = ReferenceData.statesByZipPrefix[String(postal.prefix(3))] else { return true }
            return states.contains(state)
        case "CA":
            guard let prefixes = canadianPrefixes[state] else { return true }
            return prefixes.matches(postal)
        default:
            return true
        }
    }
}
