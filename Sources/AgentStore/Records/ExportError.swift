import Foundation
import FulfillmentCore

/// A table the export does not know.
public struct ExportError: Error, CustomStringConvertible {
    public var table: String
    public init(table: String) { self.table = table }
    public var description: String { "no table '\(table)' to export" }
}
