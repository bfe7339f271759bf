extension Duration {
    /// Seconds as a floating-point number, fractions kept.
    public var timeInterval: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
