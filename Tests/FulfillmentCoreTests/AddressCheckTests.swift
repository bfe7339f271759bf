import Foundation
import Testing

@testable import FulfillmentCore

@Suite("Offline address checks")
struct AddressCheckTests {
    static let poBoxes = [
        "PO Box 114", "P.O. Box 12", "P O Box 5", "p.o. box 77", "PO BOX 1", "POBox 14", "P.O.Box 3",
        "Post Office Box 9",
        "post office box 12", "POB 12", "POB #7", "Box 9", "BOX 123", "box #45", "PO Box 114, Unit 3", "P. O. Box 6",
        "PO 123", "P.O.B. 44",
        // Publication 28 forms: a number with a letter or suffix, Box No., drawers, Post/Postal Box,
        // caller boxes, lockboxes, and "PO 12" written either way when it is the whole line.
        "PO Box 123A", "P.O. Box A", "PO Box 12-B", "Box 123A", "Box No. 12", "Box No 7A", "BOX NUMBER 9",
        "Post Office Drawer 5", "PO Drawer 88", "P.O. Drawer J", "Drawer 5", "Post Box 41", "Postal Box 9",
        "Caller Box 1234", "Caller 55", "Lockbox 4021", "Lock Box 77", "P.O. 12", "PO 12", "p.o. 12a",
    ]
    static let notPOBoxes = [
        "Suite #123", "Apt 4", "Boxwood Ln", "1 Box Hill Rd", "12 Main St", "Unit 2050 Box 4190", "PSC 1234 Box 5678",
        "400 Boxer Ave", "55 Water St", "Pobrecito Rd 5", "Depot Rd 12", "Apt #4B", "1 Post Office Sq", "Boxford Way 9",
        // A purchase-order number after a street, military lines and rural routes.
        "1200 Main Pkwy PO 4521", "55 Elm St PO 12", "Main St P.O. 77", "CMR 450 Box 1234", "PSC 802 Box 74",
        "RR 2 Box 152", "HC 68 Box 23A", "Rural Route 3 Box 9", "Po Valley Rd", "Drawbridge Ln 4", "Callery Ave 5",
        "Lockhart Rd 9", "Postal Way 12", "Box Hill",
    ]

    @Test("PO boxes are found", arguments: poBoxes)
    func poBox(line: String) { #expect(POBox.matches(line)) }

    @Test("street addresses are not PO boxes", arguments: notPOBoxes)
    func notPOBox(line: String) { #expect(!POBox.matches(line)) }

    func check(
        line1: String? = "12 Main St", city: String? = "Austin", state: String? = "TX", country: String? = "US",
        countryName: String? = nil, postal: String? = "78701", name: String? = "Ada Lovelace"
    ) -> AddressFacts {
        AddressCheck.check(
            ShippingAddress(
                name: name, addressLine1: line1, city: city, stateCode: state, country: countryName,
                countryCode: country,
                postal: postal), warehouseCountry: "US")
    }

    @Test("a good US address has no problems and is domestic")
    func good() {
        let facts = check()
        #expect(facts.problems == [] && facts.valid && facts.domestic && !facts.poBox && !facts.military)
        #expect(facts.country == "US" && facts.state == "TX" && facts.postal == "78701" && facts.city == "Austin")
    }

    @Test(
        "military addresses",
        arguments: [
            ("APO", "AE", "09012", true, []), ("FPO", "AP", "96349", true, []), ("DPO", "AA", "34025", true, []),
            ("A.P.O.", "AE", "09012", true, []), ("APO", "TX", "78701", true, ["military_mismatch"]),
            ("Austin", "AE", "09012", true, ["military_mismatch"]), ("Austin", "TX", "78701", false, []),
        ] as [(String, String, String, Bool, [String])])
    func military(city: String, state: String, postal: String, military: Bool, problems: [String]) {
        let facts = check(line1: "Unit 2050 Box 4190", city: city, state: state, postal: postal)
        #expect(facts.military == military)
        #expect(facts.problems == problems)
        #expect(!facts.poBox)
    }

    @Test(
        "postal formats",
        arguments: [
            ("US", "TX", "78701", true), ("US", "TX", "78701-1234", true), ("US", "TX", "787011234", true),
            ("US", "TX", "7870", false), ("US", "TX", "ABCDE", false), ("CA", "ON", "M5B 2H1", true),
            ("CA", "ON", "m5b2h1", true), ("CA", "ON", "M5B 2H", false), ("CA", "ON", "D5B 2H1", false),
            ("GB", nil, "SW1A 1AA", true), ("GB", nil, "EC1A1BB", true), ("GB", nil, "12345", false),
            ("AU", nil, "2000", true), ("AU", nil, "20000", false), ("DE", nil, "10115", true),
            ("DE", nil, "1011", false),
            ("FR", nil, "75008", true), ("FR", nil, "7500", false), ("MX", nil, "06600", true),
            ("MX", nil, "066000", false),
            ("NL", nil, "1012 AB", true), ("JP", nil, "100-0001", true), ("BR", nil, "01310-100", true),
            ("NZ", nil, "6011", true), ("KE", nil, "00100", true), ("KE", nil, "!!", false), ("KE", nil, "ABC", false),
            // Lenient forms carriers accept, and formats that were rejected before.
            ("US", "TX", "78701 1234", true), ("FR", nil, "75 008", true), ("GB", nil, "BFPO 61", true),
            ("GB", nil, "BFPO61", true), ("GB", nil, "BFPO 12345", false), ("BM", nil, "HM 12", true),
            ("BM", nil, "FL 07", true), ("BM", nil, "12345", false), ("IR", nil, "11936-12345", true),
            ("IR", nil, "1193612345", true), ("IR", nil, "119361234", false), ("IE", nil, "A65 F4E2", true),
            // US territories given as countries take their own ZIP ranges, not any five digits.
            ("PR", nil, "00930", true), ("PR", nil, "78701", false), ("GU", nil, "96910", true),
            ("GU", nil, "96950", false), ("VI", nil, "00802-1222", true), ("VI", nil, "00901", false),
            ("AS", nil, "96799", true), ("AS", nil, "96798", false), ("MP", nil, "96950", true),
            ("MP", nil, "96910", false),
        ] as [(String, String?, String, Bool)])
    func postalFormats(country: String, state: String?, postal: String, valid: Bool) {
        let facts = check(state: state, country: country, postal: postal)
        #expect(facts.problems.contains("bad_postal_format") == !valid, "\(facts.problems)")
    }

    @Test(
        "ZIP and postal codes must be able to belong to the state",
        arguments: [
            ("TX", "78701", true), ("CA", "60601", false), ("IL", "60601", true), ("NY", "06390", true),
            ("CT", "06390", true), ("MO", "72643", true), ("AR", "72643", true), ("WY", "83414", true),
            ("ID", "83414", true), ("MA", "02108", true), ("NV", "02108", false), ("PR", "00901", true),
            ("AP", "96278", true), ("DC", "20500", true),
        ] as [(String, String, Bool)])
    func zipState(state: String, zip: String, fits: Bool) {
        #expect(check(state: state, postal: zip).problems.contains("postal_state_mismatch") == !fits)
    }

    @Test(
        "codes are normalised to the form carriers print",
        arguments: [
            ("US", "TX", "78701 1234", "78701-1234"), ("US", "TX", "787011234", "78701-1234"),
            ("FR", nil, "75 008", "75008"), ("CA", "ON", "m5b2h1", "M5B 2H1"), ("GB", nil, "sw1a1aa", "SW1A 1AA"),
            ("GB", nil, "bfpo61", "BFPO 61"), ("NL", nil, "1012  ab", "1012 AB"), ("DE", nil, " 10115 ", "10115"),
        ] as [(String, String?, String, String)])
    func normalised(country: String, state: String?, postal: String, expected: String) {
        let facts = check(state: state, country: country, postal: postal)
        #expect(facts.postal == expected && facts.problems == [], "\(facts.problems)")
    }

    @Test(
        "a missing postal code is a problem only where the country has and requires them",
        arguments: [
            ("BS", nil, true), ("JM", nil, true), ("PA", nil, true), ("FJ", nil, true), ("TO", nil, true),
            ("WS", nil, true), ("AG", nil, true), ("HK", nil, true), ("IE", nil, true), ("US", "TX", false),
            ("CA", "ON", false), ("DE", nil, false), ("FR", nil, false), ("GB", nil, false), ("PR", nil, false),
        ] as [(String, String?, Bool)])
    func withoutPostal(country: String, state: String?, fine: Bool) {
        let problems = check(state: state, country: country, postal: nil).problems
        #expect(problems.contains("missing_postal") == !fine, "\(problems)")
    }

    @Test("every example postal code in Google's metadata passes for its country")
    func metadataExamples() {
        let formats = PostalFormat.formats
        #expect(formats.count > 240)
        #expect(formats["BS"]?.pattern == nil && formats["US"]?.required == true)
        var checked = 0
        for (country, format) in formats where format.pattern != nil {
            for example in format.examples {
                let facts = check(state: nil, country: country, postal: example)
                #expect(!facts.problems.contains("bad_postal_format"), "\(country) \(example)")
                checked += 1
            }
        }
        #expect(checked > 300)
    }

    @Test(
        "a Canadian postal code must be one its province uses; some prefixes serve two provinces",
        arguments: [
            ("QC", "K1A 0B1", true), ("ON", "K1A 0B1", true), ("SK", "R8A 1A1", true), ("MB", "R8A 1A1", true),
            ("NU", "X0A 0H0", true), ("NT", "X0A 0H0", false), ("NT", "X1A 2L9", true), ("NU", "X1A 2L9", false),
            ("QC", "M5B 2H1", false), ("ON", "H3Z 2Y7", false), ("AB", "T9V 1A1", true), ("SK", "T9V 1A1", false),
        ] as [(String, String, Bool)])
    func canadianPrefixes(province: String, postal: String, fits: Bool) {
        let problems = check(city: "Anywhere", state: province, country: "CA", postal: postal).problems
        #expect(problems.contains("postal_state_mismatch") == !fits, "\(problems)")
    }

    @Test("Canadian postal codes match the province by first letter")
    func canadianProvince() {
        #expect(check(city: "Toronto", state: "ON", country: "CA", postal: "M5B 2H1").problems == [])
        #expect(
            check(city: "Toronto", state: "BC", country: "CA", postal: "M5B 2H1").problems == ["postal_state_mismatch"])
        #expect(check(city: "Iqaluit", state: "NU", country: "CA", postal: "X0A 0H0").problems == [])
        #expect(check(city: "Yellowknife", state: "NT", country: "CA", postal: "X1A 2L9").problems == [])
        #expect(!check(city: "Toronto", state: "ON", country: "CA", postal: "M5B 2H1").domestic)
    }

    @Test(
        "country codes and English names normalise to alpha-2",
        arguments: [
            ("US", nil, "US"), ("usa", nil, "US"), (nil, "United States", "US"),
            (nil, "United States of America", "US"),
            (nil, "U.S.A.", "US"), (nil, "Canada", "CA"), (nil, "United Kingdom", "GB"), (nil, "UK", "GB"),
            (nil, "Great Britain", "GB"), (nil, "Germany", "DE"), (nil, "germany", "DE"), ("DEU", nil, "DE"),
            (nil, "Mexico", "MX"), (nil, "México", "MX"), (nil, "Cuba", "CU"), (nil, "Iran", "IR"),
            (nil, "South Korea", "KR"), (nil, "North Korea", "KP"), (nil, "Russia", "RU"),
            (nil, "Czech Republic", "CZ"),
            (nil, "The Netherlands", "NL"), (nil, "Côte d'Ivoire", "CI"), (nil, "Ivory Coast", "CI"),
            (nil, "Turkey", "TR"),
            (nil, "Taiwan", "TW"), ("XX", "Atlantis", nil), (nil, "Narnia", nil),
        ] as [(String?, String?, String?)])
    func countries(code: String?, name: String?, expected: String?) {
        #expect(AddressCheck.normalizeCountry(code: code, name: name) == expected)
    }

    @Test("state names and codes normalise; unknown and missing states are problems for US and CA")
    func states() {
        #expect(AddressCheck.normalizeState(country: "US", code: nil, name: "Texas") == .known("TX"))
        #expect(AddressCheck.normalizeState(country: "US", code: "tx", name: nil) == .known("TX"))
        #expect(AddressCheck.normalizeState(country: "US", code: nil, name: "District of Columbia") == .known("DC"))
        #expect(AddressCheck.normalizeState(country: "CA", code: nil, name: "Québec") == .known("QC"))
        #expect(AddressCheck.normalizeState(country: "US", code: "ZZ", name: nil) == .unknown)
        #expect(check(state: "ZZ").problems == ["unknown_state"])
        #expect(check(state: nil).problems == ["missing_state"])
        #expect(check(state: nil, country: "DE", postal: "10115").problems == [])
    }

    @Test("required fields, line length and missing country")
    func requiredFields() {
        #expect(check(line1: nil).problems == ["missing_street"])
        #expect(check(line1: "   ").problems == ["missing_street"])
        #expect(check(city: nil).problems == ["missing_city"])
        #expect(check(postal: nil).problems == ["missing_postal"])
        #expect(check(name: nil).problems == ["missing_name"])
        #expect(check(country: nil).problems == ["missing_country"])
        #expect(check(country: "ZZ").problems == ["unknown_country"])
        #expect(check(line1: String(repeating: "x", count: 36)).problems == ["line_too_long"])
        #expect(check(line1: String(repeating: "x", count: 35)).problems == [])
        #expect(check(state: nil, country: "AE", postal: nil).problems == [])
    }

    @Test("reference data covers every state, territory, province and ZIP prefix")
    func coverage() {
        let us = ReferenceData.subdivisionsByCode["US"] ?? [:]
        let states = [
            "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA",
            "ME",
            "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR",
            "PA",
            "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
        ]
        let others = ["DC", "PR", "GU", "VI", "AS", "MP", "UM", "AA", "AE", "AP", "FM", "MH", "PW"]
        for code in states + others { #expect(us[code] != nil, "\(code) missing") }
        #expect(
            Set(ReferenceData.subdivisionsByCode["CA"]?.keys ?? [:].keys) == [
                "AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT",
            ])
        #expect(ReferenceData.alpha2Codes.count == 249)
        let prefixes = ReferenceData.statesByZipPrefix
        #expect(prefixes.count > 900)
        for (prefix, servedStates) in prefixes {
            #expect(prefix.count == 3 && prefix.allSatisfy(\.isNumber))
            for state in servedStates { #expect(us[state] != nil, "prefix \(prefix) names unknown state \(state)") }
        }
        let served = Set(prefixes.values.flatMap { $0 })
        for state in states + ["DC", "PR", "AA", "AE", "AP"] {
            #expect(served.contains(state), "no ZIP prefix for \(state)")
        }
    }
}
