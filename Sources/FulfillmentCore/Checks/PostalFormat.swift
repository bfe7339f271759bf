/// Postal code formats per country, and ZIP / postal code agreement with the state.
enum PostalFormat {
    private static let formats: [String: CompiledPattern] = [
        "US": #"^\d{5}(-?\d{4})?$"#,
        "PR": #"^\d{5}(-?\d{4})?$"#, "GU": #"^\d{5}(-?\d{4})?$"#, "VI": #"^\d{5}(-?\d{4})?$"#,
        "AS": #"^\d{5}(-?\d{4})?$"#, "MP": #"^\d{5}(-?\d{4})?$"#,
        "CA": #"^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d$"#,
        "GB": #"^([A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|GIR ?0AA)$"#,
        "AU": #"^\d{4}$"#, "AT": #"^\d{4}$"#, "BE": #"^\d{4}$"#, "CH": #"^\d{4}$"#, "DK": #"^\d{4}$"#,
        "NO": #"^\d{4}$"#, "NZ": #"^\d{4}$"#, "ZA": #"^\d{4}$"#,
        "DE": #"^\d{5}$"#, "FR": #"^\d{5}$"#, "MX": #"^\d{5}$"#, "IT": #"^\d{5}$"#, "ES": #"^\d{5}$"#,
        "FI": #"^\d{5}$"#, "MY": #"^\d{5}$"#,
        "NL": #"^\d{4} ?[A-Z]{2}$"#, "SE": #"^\d{3} ?\d{2}$"#, "JP": #"^\d{3}-?\d{4}$"#,
        "BR": #"^\d{5}-?\d{3}$"#, "IN": #"^\d{6}$"#, "CN": #"^\d{6}$"#, "SG": #"^\d{6}$"#,
        "PL": #"^\d{2}-\d{3}$"#, "PT": #"^\d{4}-\d{3}$"#, "IE": #"^[A-Z\d]{3} ?[A-Z\d]{4}$"#,
    ].mapValues { try! CompiledPattern($0) }

    /// Any other country: 2 to 10 letters, digits, spaces or hyphens, with at least one digit.
    private static let generic = try! CompiledPattern(#"^(?=.*\d)[A-Z\d][A-Z\d \-]{0,8}[A-Z\d]$"#)

    /// Countries with no postal code system (a missing postal code is fine there).
    private static let withoutPostal: Set<String> = [
        "AE", "AG", "AO", "AW", "BF", "BI", "BJ", "BO", "BS", "BW", "BZ", "CD", "CF", "CG", "CI", "CK", "CM", "DJ",
        "DM", "ER", "FJ", "GA", "GD", "GH", "GM", "GQ", "GY", "HK", "KI", "KM", "KN", "KP", "LC", "ML", "MO", "MR",
        "MS", "MW", "NR", "NU", "QA", "RW", "SB", "SC", "SL", "SR", "ST", "SY", "TD", "TF", "TG", "TK", "TL", "TO",
        "TT", "TV", "UG", "VU", "YE", "ZW",
    ]

    /// First letter of a Canadian postal code → provinces it serves.
    private static let canadianPrefixes: [Character: Set<String>] = [
        "A": ["NL"], "B": ["NS"], "C": ["PE"], "E": ["NB"], "G": ["QC"], "H": ["QC"], "J": ["QC"],
        "K": ["ON"], "L": ["ON"], "M": ["ON"], "N": ["ON"], "P": ["ON"], "R": ["MB"], "S": ["SK"], "T": ["AB"],
        "V": ["BC"], "X": ["NT", "NU"], "Y": ["YT"],
    ]

    static func requiresPostal(_ country: String) -> Bool { !withoutPostal.contains(country) }

    /// `postal` is upper-cased and trimmed.
    static func isValid(_ postal: String, country: String) -> Bool {
        (formats[country] ?? generic).matches(postal)
    }

    /// False only when the code cannot belong to the state: a ZIP prefix shared by two
    /// states accepts both, and an unknown prefix is given the benefit of the doubt.
    static func postal(_ postal: String, fits state: String, country: String) -> Bool {
        switch country {
        case "US":
            guard let states = ReferenceData.statesByZipPrefix[String(postal.prefix(3))] else { return true }
            return states.contains(state)
        case "CA":
            guard let first = postal.first, let provinces = canadianPrefixes[first] else { return true }
            return provinces.contains(state)
        default:
            return true
        }
    }
}
