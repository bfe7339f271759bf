/// Flxpoint's JSON field names for an FR, in one place.
///
/// The public reference does not show the ship-by date or the channel order number, so the
/// names below are the ones seen in live integrations; change them here and nowhere else.
enum FlxpointFieldNames {
    /// Ship-by date candidates, first present wins; date or date-time.
    static let shipBy = ["dueDate", "shipByDate", "requiredShipDate"]
    /// Channel order reference candidates, first present wins.
    static let orderNumber = ["orderNumber", "channelOrderNumber"]
}

/// A coding key built from any string, for the field names that come from a list.
struct AnyCodingKey: CodingKey, Hashable {
    var stringValue: String
    var intValue: Int?

    init(_ string: String) {
        self.stringValue = string
        self.intValue = nil
    }

    init?(stringValue: String) { self.init(stringValue) }

    init?(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}
