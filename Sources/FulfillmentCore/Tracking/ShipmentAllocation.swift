/// Which FR lines a shipped quantity of a SKU belongs to.
///
/// A SKU can repeat on an FR. Units are assigned to its lines in line order, each line up
/// to what was acknowledged on it; because every shipment is assigned the same way, what
/// earlier shipments took is known from their total alone.
public enum ShipmentAllocation {
    /// The units of `sku` per line (by position in `lines`), after `shippedBefore` units of it
    /// went out earlier; nil when the acknowledged lines cannot hold `quantity` more.
    public static func allocate(sku: String, quantity: Int, lines: [LineAnswer], shippedBefore: Int)
        -> [(line: Int, quantity: Int)]?
    {
        var skip = shippedBefore
        var need = quantity
        var out: [(line: Int, quantity: Int)] = []
        for (index, line) in lines.enumerated() where line.sku == sku && line.acknowledged > 0 {
            let room = line.acknowledged - min(skip, line.acknowledged)
            skip -= line.acknowledged - room
            let take = min(room, need)
            guard take > 0 else { continue }
            out.append((index, take))
            need -= take
            if need == 0 { return out }
        }
        return nil
    }
}
