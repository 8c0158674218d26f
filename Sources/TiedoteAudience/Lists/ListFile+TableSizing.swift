extension ListFile {
    /// How many rows a list file will have, estimated once from its length and the rows in its
    /// first chunk, so that its duplicate table is allocated once at its final size: a table
    /// that doubles holds the old copy while it fills the new one, and the C allocator does not
    /// give the freed copies back (a million rows peaked at 108 MB in the check pass that way).
    struct TableSizing {
        /// The file's length in bytes; nil when unknown or once the estimate has been made.
        private var expectedBytes: Int?
        private var bytesRead = 0
        /// Rows taken so far (blank ones left out).
        var rows = 0

        init(expectedBytes: Int?) { self.expectedBytes = expectedBytes }

        /// The estimated rows of the whole file, with a margin of one in sixteen, once the
        /// first chunk with a row has been read; nil before and after that.
        mutating func estimate(afterReading count: Int) -> Int? {
            bytesRead += count
            guard let expectedBytes, rows > 0 else { return nil }
            self.expectedBytes = nil
            let perRow = Double(bytesRead) / Double(rows)
            let estimate = Double(expectedBytes) / perRow
            return Int(Swift.min(estimate + estimate / 16, Double(Int32.max))) + 1
        }
    }
}
