// Checks: the facts computed before the rules run: address validity, the ship calendar, the stock plan and ledger.

import Foundation

/// Offline address checks: normalisation, required fields, postal formats, ZIP/state
/// agreement, carrier line limits, PO boxes and military addresses.
///
/// Problem codes are stable strings that rules and reports match on.
public enum AddressCheck {
    /// Carriers (UPS, FedEx, USPS) reject label lines longer than this.
    public static let maxLineLength = 35

    /// The `address.*` facts for a shipping address, against the warehouse's country.
    public static func check(_ address: ShippingAddress?, warehouseCountry: String) -> AddressFacts {
        guard let address else {
            return AddressFacts(
                country: nil, state: nil, postal: nil, city: nil, problems: ["missing_address"], poBox: false,
                military: false, domestic: false)
        }
        var problems: [String] = []
        func add(_ code: String) { if !problems.contains(code) { problems.append(code) } }

        let country = normalizeCountry(code: address.countryCode, name: address.country)
        if country == nil {
            add(
                address.countryCode?.trimmedNonEmpty == nil && address.country?.trimmedNonEmpty == nil
                    ? "missing_country" : "unknown_country")
        }
        let state = normalizeState(country: country, code: address.stateCode, name: address.state)
        let postal = address.postal?.trimmedNonEmpty.map { PostalFormat.normalize($0, country: country ?? "") }
        let city = address.city?.trimmedNonEmpty
        let lines = [address.addressLine1, address.addressLine2].compactMap { $0?.trimmedNonEmpty }

        if address.recipient == nil && address.companyName?.trimmedNonEmpty == nil { add("missing_name") }
        if address.addressLine1?.trimmedNonEmpty == nil { add("missing_street") }
        if city == nil { add("missing_city") }
        if let country, country == "US" || country == "CA" {
            switch state {
            case .missing: add("missing_state")
            case .unknown: add("unknown_state")
            case .known: break
            }
        }
        if let country {
            if let postal {
                if !PostalFormat.isValid(postal, country: country) {
                    add("bad_postal_format")
                } else if case .known(let code) = state, !PostalFormat.postal(postal, fits: code, country: country) {
                    add("postal_state_mismatch")
                }
            } else if PostalFormat.requiresPostal(country) {
                add("missing_postal")
            }
        }
        let labelLines = [address.recipient, address.companyName, address.addressLine1, address.addressLine2, city]
        // A line of at most 35 bytes has at most 35 characters: count characters only past that.
        if labelLines.contains(where: { ($0?.utf8.count ?? 0) > maxLineLength && ($0?.count ?? 0) > maxLineLength }) {
            add("line_too_long")
        }

        let militaryCity = city.map(MilitaryAddress.isMilitaryCity) ?? false
        let militaryState = state.code.map(MilitaryAddress.militaryStates.contains) ?? false
        if country == "US", militaryCity != militaryState { add("military_mismatch") }

        return AddressFacts(
            country: country, state: state.code ?? address.state?.trimmedNonEmpty, postal: postal, city: city,
            problems: problems, poBox: lines.contains(where: POBox.matches), military: militaryCity || militaryState,
            domestic: country != nil && country == warehouseCountry)
    }

    /// Alpha-2 from a code (alpha-2 or alpha-3) or an English name.
    public static func normalizeCountry(code: String?, name: String?) -> String? {
        for candidate in [code, name] {
            guard let text = candidate?.trimmedNonEmpty else { continue }
            let upper = text.uppercased()
            // Codes are ASCII, so their length in bytes is their length in characters.
            if upper.utf8.count == 2, ReferenceData.alpha2Codes.contains(upper) { return upper }
            if upper.utf8.count == 3, let alpha2 = ReferenceData.countryLookup[upper] { return alpha2 }
            if let alpha2 = ReferenceData.countryLookup[ReferenceData.normalizedName(text)] { return alpha2 }
        }
        return nil
    }

    /// Whether the state or region is one the country has.
    enum StateResult: Equatable {
        case missing
        case unknown
        case known(String)

        var code: String? { if case .known(let code) = self { code } else { nil } }
    }

    /// A US or Canadian subdivision code from a code or a name; other countries keep what was sent.
    static func normalizeState(country: String?, code: String?, name: String?) -> StateResult {
        let candidates = [code, name].compactMap { $0?.trimmedNonEmpty }
        guard let country, let table = ReferenceData.subdivisionsByCode[country] else {
            return candidates.first.map { .known($0.uppercased()) } ?? .missing
        }
        guard !candidates.isEmpty else { return .missing }
        for text in candidates {
            let upper = text.uppercased().filter { $0 != "." }
            if table[upper] != nil { return .known(upper) }
            if let code = ReferenceData.subdivisionsByName[country]?[ReferenceData.normalizedName(text)] {
                return .known(code)
            }
        }
        return .unknown
    }
}

/// APO/FPO/DPO addresses.
enum MilitaryAddress {
    static let militaryStates: Set<String> = ["AA", "AE", "AP"]

    static func isMilitaryCity(_ city: String) -> Bool {
        // Quick answer for plain ASCII names: APO, FPO and DPO have three letters.
        if city.utf8.allSatisfy({ $0 < 0x80 }),
            city.utf8.count(where: { (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) != 3
        {
            return false
        }
        let letters = city.uppercased().filter(\.isLetter)
        return letters == "APO" || letters == "FPO" || letters == "DPO"
    }
}

/// Post office boxes, which many carriers and all freight cannot deliver to, in the forms USPS
/// Publication 28 lists (section 28, "Post Office Box Addresses", and the variants it says to
/// standardise to "PO BOX"): PO Box, P.O. Box, Post Office Box, Post Box, Postal Box, POB, Box No.,
/// drawers, caller boxes and lockboxes, with a number that may carry a letter or suffix.
/// Military lines (Unit/PSC/CMR … Box) and rural routes (RR/HC … Box) are street-style
/// addresses there and are not PO boxes; nor is a purchase-order number ("PO 4521") after a street.
public enum POBox {
    /// A box number: digits, or a letter, optionally with a letter or hyphenated suffix ("12A", "A", "12-B").
    private static let number = #"#?\s*(?:\d+[a-z]?(?:-?[a-z\d]+)?|[a-z](?:-?\d+)?)"#
    private static let patterns: [CompiledPattern] = [
        // PO Box / P.O. Box / P O Box / POBox / PO Drawer, anywhere on the line.
        #"(?i)(^|[^a-z])p\.?\s*o\.?\s*(box|drawer)($|[^a-z])"#,
        // Post Office Box / Post Office Drawer / Post Box / Postal Box.
        #"(?i)\bpost\s+office\s+(box|drawer)\b"#, #"(?i)\bpost(al)?\s+box\b"#,
        // POB 12, P.O.B. 44.
        #"(?i)\bp\.?\s*o\.?\s*b\.?\s*#?\s*\d"#,
        // Caller Box, Lockbox / Lock Box, followed by a number.
        #"(?i)\b(caller|lock)\s*box\s*"# + number,
        // A line that is only a box, a drawer or a caller number: "Box 9", "Box No. 12A", "Drawer 5", "Caller 7".
        #"(?i)^\s*(box|drawer|caller)\s*(no\.?|number)?\s*"# + number + #"\s*$"#,
        // "PO 12" or "P.O. 12" alone on its line (after a street it is a purchase-order number).
        #"(?i)^\s*p\.?\s*o\.?\s*"# + number + #"\s*$"#,
    ].map { try! CompiledPattern($0) }

    /// Whether a street line names a PO box (or a drawer, a caller number).
    public static func matches(_ line: String) -> Bool {
        // Every pattern needs "box", "drawer", "caller" or a "p": most street lines have none.
        let lower = Array(line.lowercased().utf8)
        let worthMatching = lower.withUnsafeBufferPointer { text in
            text.contains(UInt8(ascii: "p")) || has("box", in: text) || has("drawer", in: text)
                || has("caller", in: text)
        }
        guard worthMatching else { return false }
        return patterns.contains { $0.matches(line) }
    }

    /// Whether `text` holds `word`'s bytes. A plain loop over the buffer: a street line can be megabytes long, and
    /// the generic `contains`/`allSatisfy` version of this cost seconds per line in a debug build.
    private static func has(_ word: StaticString, in text: UnsafeBufferPointer<UInt8>) -> Bool {
        word.withUTF8Buffer { needle in
            guard let first = needle.first, text.count >= needle.count else { return false }
            var start = 0
            let last = text.count - needle.count
            while start <= last {
                if text[start] == first {
                    var offset = 1
                    while offset < needle.count, text[start + offset] == needle[offset] { offset += 1 }
                    if offset == needle.count { return true }
                }
                start += 1
            }
            return false
        }
    }
}
