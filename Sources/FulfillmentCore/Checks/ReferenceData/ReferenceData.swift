// ReferenceData: countries, subdivisions and postal formats the address check knows.

import Foundation

/// Lookup tables built once from the generated reference data (see `Scripts/generate-reference-data.py`).
enum ReferenceData {
    /// A state, province or region of a country.
    struct Subdivision: Sendable {
        let country: String
        let code: String
        let name: String
        let type: String
    }

    /// Normalised country name, alpha-2 or alpha-3 → alpha-2.
    static let countryLookup: [String: String] = {
        var lookup: [String: String] = [:]
        for row in rows(countries) where row.count >= 3 {
            lookup[row[0]] = row[0]
            lookup[row[1]] = row[0]
            for name in row[2...] { lookup[normalizedName(name)] = row[0] }
        }
        return lookup
    }()

    /// Every alpha-2 code.
    static let alpha2Codes: Set<String> = Set(rows(countries).map { $0[0] })

    /// US and Canadian subdivisions by country, then code.
    static let subdivisionsByCode: [String: [String: Subdivision]] = {
        var out: [String: [String: Subdivision]] = [:]
        for row in rows(subdivisions) where row.count == 4 {
            out[row[0], default: [:]][row[1]] = Subdivision(country: row[0], code: row[1], name: row[2], type: row[3])
        }
        return out
    }()

    /// US and Canadian subdivisions by country, then normalised name → code.
    static let subdivisionsByName: [String: [String: String]] = {
        var out: [String: [String: String]] = [:]
        for (country, byCode) in subdivisionsByCode {
            for (code, subdivision) in byCode { out[country, default: [:]][normalizedName(subdivision.name)] = code }
        }
        return out
    }()

    /// 3-digit ZIP prefix → states it serves.
    static let statesByZipPrefix: [String: Set<String>] = {
        var out: [String: Set<String>] = [:]
        for row in rows(zipPrefixes) where row.count == 2 {
            out[row[0]] = Set(row[1].split(separator: ",").map(String.init))
        }
        return out
    }()

    /// Lower case, no accents or punctuation, single spaces, no leading "the".
    static func normalizedName(_ text: String) -> String {
        let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
        var words: [Substring] = []
        for word in folded.split(whereSeparator: { !$0.isLetter && !$0.isNumber }) { words.append(word) }
        if words.first == "the" { words.removeFirst() }
        return words.joined(separator: " ")
    }

    static func rows(_ tsv: String) -> [[String]] {
        tsv.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }
}
