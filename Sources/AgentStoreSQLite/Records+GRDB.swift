import AgentStore
import FulfillmentCore
import GRDB

// The records of the store interface, as GRDB reads and writes them: the tables they live in,
// the ids SQLite gives new rows, and the stored enums as text columns.

extension FRRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "fr"
}

extension DecisionRecord: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "decision"
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension OutboxRecord: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "outbox"
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension ReservationRecord: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "reservation"
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension CycleRecord: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "cycle"
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension QuarantineRecord: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "quarantine"
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension ShipmentRecord: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "shipment"
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension AuditEntry: FetchableRecord {}

extension TrackingFileRecord: FetchableRecord {}

extension LiveMarks: FetchableRecord {}

extension NotShippedFR: FetchableRecord {}

extension RuleVersion: FetchableRecord {}

extension RuleLoad: FetchableRecord {}

extension InboxClaim: FetchableRecord {}

// The decision log's enums are stored as their raw text. Reading a value none of the cases
// has is an error (GRDB refuses to decode the row), never a quiet default: a log that says
// something this build does not know must not be read as a hold.

extension DecisionKind: DatabaseValueConvertible {}
extension DecisionReason: DatabaseValueConvertible {}
extension Remainder: DatabaseValueConvertible {}
extension DecisionOverride: DatabaseValueConvertible {}
extension OutboxRecord.State: DatabaseValueConvertible {}
extension OutboxRecord.Kind: DatabaseValueConvertible {}
extension ShipmentRecord.State: DatabaseValueConvertible {}

extension AlertRecord: FetchableRecord {}
extension AnswerListing: FetchableRecord {}
extension ReservationRecord.State: DatabaseValueConvertible {}
extension AlertRecord.State: DatabaseValueConvertible {}
