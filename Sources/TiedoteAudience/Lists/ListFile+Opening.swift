import TiedoteCore

extension ListFile {
    /// The first bytes of a list file, held back until they tell whether it is UTF-8 and which
    /// separator its header uses; both checks come before any row is read.
    struct Opening {
        private let path: String
        private var held: [UInt8] = []
        private var isEncodingKnown = false
        private var separators = CSV.HeaderSeparators()
        /// True once the held bytes have been judged and handed on; later bytes go straight to
        /// the parser.
        private(set) var isComplete = false

        init(path: String) { self.path = path }

        /// Takes in the next `bytes` of the file (`atEnd` when there are no more): nil while
        /// more are needed, then the file's bytes so far, without a byte order mark.
        mutating func read(_ bytes: ArraySlice<UInt8>, atEnd: Bool) throws -> [UInt8]? {
            let scanned = isEncodingKnown ? held.count : 0
            held.append(contentsOf: bytes)
            // Three bytes tell a UTF-8 byte order mark, two a UTF-16 file.
            if !isEncodingKnown {
                guard held.count >= 3 || atEnd else { return nil }
                try checkEncoding()
                if held.starts(with: [0xEF, 0xBB, 0xBF]) { held.removeFirst(3) }
                isEncodingKnown = true
            }
            let headerEnd = separators.scan(held[scanned...]).map { scanned + $0 }
            guard headerEnd != nil || atEnd else { return nil }
            let separator = separators.separator
            if separator != .comma {
                try checkUTF8(header: held[..<(headerEnd ?? held.count)])
                throw Diagnostic.error(
                    SourcePosition(path: path), "the list uses \(separator) between columns; list files use ','. Bring "
                        + "spreadsheets in with `tiedote lists import FILE --list NAME`")
            }
            isComplete = true
            defer { held = [] }
            return held
        }

        /// Throws at the first character of the header line that is not UTF-8: a spreadsheet
        /// saved in Windows-1252 is told so first, whatever its separator.
        private func checkUTF8(header: ArraySlice<UInt8>) throws {
            var parser = CSV.Parser(separator: .comma)
            do {
                try parser.parse(header) { _ in }
                // A lead byte that ends the header (Windows-1252 `ä` last) is found here.
                try parser.finish { _ in }
            } catch let error as CSV.InvalidUTF8 {
                throw ListFile.notUTF8(error.position(in: path), CSV.Encoding.windows1252)
            } catch {
                // Broken quoting is for the parser to report, after the separator.
            }
        }

        /// Refuses UTF-16, by its byte order mark or by the zero bytes of its ASCII letters.
        /// Excel's "Unicode text" (UTF-16LE with its mark) is for `lists import`; other UTF-16
        /// files nothing here reads, so the advice is to save the file again.
        private func checkEncoding() throws {
            let start = Array(held.prefix(2))
            if start == [0xFF, 0xFE] { throw ListFile.notUTF8(SourcePosition(path: path), CSV.Encoding.utf16LE) }
            if start == [0xFE, 0xFF] || start.contains(0) {
                throw Diagnostic.error(
                    SourcePosition(path: path), "the list is in UTF-16 without Excel's byte order mark (or "
                        + "big-endian), which neither list files nor `tiedote lists import` read; save it "
                        + "again from the spreadsheet as \"CSV UTF-8\"")
            }
        }
    }
}
