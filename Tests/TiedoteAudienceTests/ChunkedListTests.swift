import Foundation
import Testing
import TiedoteTestSupport
@testable import TiedoteAudience
import TiedoteCore

/// A list read in chunks of any size reads exactly as the whole text does: chunk boundaries
/// inside a character, a quoted field, a CRLF or a doubled quote change nothing.
struct ChunkedListTests {
    /// What reading gave: the records or subscribers, then the error that stopped it, if any.
    struct Outcome<Item: Equatable>: Equatable {
        var items: [Item] = []
        var error: String?
    }

    static let chunkSizes = Array(1...9)

    /// Inputs where every boundary matters: 2-, 3- and 4-byte characters, quoted fields with
    /// CRLF, CR and doubled quotes, CR-only line ends, blank lines, no final line end.
    static let csvTexts = [
        "email,name\r\nä@x.fi,\"Mäki, \"\"Aino\"\"\r\nrivi\"\r\nö,€𝄞\rlast,line",
        "\"a\"\"\",\"\"\"\"\n\"x\r\ny\",z\r\n\"\r\",\"\r\n\"\r",
        "a,b\r\r\n\n\rc,\"\"\n,\n",
        "ääää,ööö\n\"€\"\"€\",\"𝄞\r𝄞\"\r\n\u{FEFF}x,y",
        "a,\"open\nmore",
        "\"a\"b,c\n",
        "tab\tand;semi,\"quoted\";x\n",
        "",
    ]

    static func csvOutcome(_ parse: ((CSV.Record) -> Void) throws -> Void) -> Outcome<CSV.Record> {
        var outcome = Outcome<CSV.Record>()
        do { try parse { outcome.items.append($0) } } catch { outcome.error = "\(error)" }
        return outcome
    }

    static func chunks(of bytes: [UInt8], size: Int) -> [ArraySlice<UInt8>] {
        stride(from: 0, to: bytes.count, by: size).map { bytes[$0..<min($0 + size, bytes.count)] }
    }

    @Test(arguments: csvTexts)
    func csvInChunksReadsAsTheWholeText(text: String) {
        let whole = Self.csvOutcome { body in try CSV.parse(text, separator: .comma, body) }
        for size in Self.chunkSizes {
            let chunked = Self.csvOutcome { body in
                var parser = CSV.Parser(separator: .comma)
                for chunk in Self.chunks(of: Array(text.utf8), size: size) {
                    try parser.parse(ArraySlice(chunk), body)
                }
                try parser.finish(body)
            }
            #expect(chunked == whole, "chunks of \(size) bytes")
        }
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let records = try CSV.records("ä€𝄞,x,\"ö\r\nö\",y\r\n", separator: .comma)
        #expect(records == [CSV.Record(
            fields: ["ä€𝄞", "x", "ö\nö", "y"], line: 1, lines: [1, 1, 1, 2], columns: [1, 5, 7, 4])])
    }

    @Test(arguments: [
        ("a,b\nc;d;e\n", CSV.Separator.comma),
        ("a;b,c;d\n", .semicolon),
        ("\"x;y;z\",b\n", .comma),
        ("a\tb;c\n", .semicolon),
        ("a\tb\tc,d;e\n", .tab),
    ])
    func headerSeparatorInChunks(text: String, expected: CSV.Separator) {
        for size in Self.chunkSizes {
            var header = CSV.HeaderSeparators()
            for chunk in Self.chunks(of: Array(text.utf8), size: size) {
                if chunk.withUnsafeBytes({ header.scan($0) }) != nil { break }
            }
            #expect(header.separator == expected, "chunks of \(size) bytes")
        }
    }

    // MARK: - List files

    static let header = "email,name,municipality,interests,language,consent_source,consented_at"

    /// List files as bytes: BOM, CRLF and CR line ends, quoted names over two lines, bad rows,
    /// duplicates, characters of every length, no final line end.
    static let listFiles: [[UInt8]] = [
        [0xEF, 0xBB, 0xBF] + Array((
            "\(header)\r\n"
            + "aino@example.fi,\"Mäkelä, \"\"Aino\"\"\",Jyväskylä,tanssi; teatteri ,fi,lomake,2026-01-05\r\n\r\n"
            + "Bertta@Example.FI,Bertta 𝄞,Äänekoski,,sv-FI,,2026-01-05T10:00\r\n"
            + "bad@,Cecilia,Tampere,,x1,,1.1.2026\r\n"
            + "AINO@example.fi,\"Aino\r\ntoinen\",,,,,\r\n"
            + "aino@EXAMPLE.fi,Aino,,,,,\r\n"
            + "eve@example.fi,€ve,,;;,,, "
        ).utf8),
        Array("email,name\rа@example.fi,Cyrillic\r\rx@kylä.example.fi,\"\"\"q\"\"\"\ry@example.fi,Y".utf8),
        Array("name,email\n\"two\nlines\",a@example.fi\n\"x\",\"b@example.fi\"\n".utf8),
        Array("email,name\na@example.fi,A,extra\nb@example.fi,\"unclosed\n".utf8),
        Array("email;name\na@example.fi;A\n".utf8),
        Array("email,phone\n".utf8),
        [0xEF, 0xBB, 0xBF],
        [],
    ]

    static func listOutcome(_ read: ((Subscriber) -> Void) throws -> Void) -> Outcome<Subscriber> {
        var outcome = Outcome<Subscriber>()
        do { try read { outcome.items.append($0) } } catch { outcome.error = "\(error)" }
        return outcome
    }

    /// A throw-away workspace holding `Lists/m.csv`.
    static func workspace(list bytes: [UInt8]) throws -> Workspace {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tiedote-lists-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Lists"), withIntermediateDirectories: true)
        try Data(bytes).write(to: root.appendingPathComponent("Lists/m.csv"))
        return Workspace(root: root, settings: try MinimalSettings.settings(), events: [])
    }

    @Test(arguments: listFiles)
    func listFileInChunksReadsAsTheWholeFile(bytes: [UInt8]) throws {
        let workspace = try Self.workspace(list: bytes)
        defer { try? FileManager.default.removeItem(at: workspace.root) }
        let path = workspace.displayPath(Workspace.listPath("m"))
        let whole = Self.listOutcome { body in try ListFile.read(Data(bytes), path: path, body) }
        for size in Self.chunkSizes {
            let chunked = Self.listOutcome { body in try workspace.forEachSubscriber(list: "m", chunkSize: size, body) }
            #expect(chunked == whole, "chunks of \(size) bytes")
        }
    }

    @Test func bomAndLineEndsChangeNoValueOrPosition() throws {
        let path = "Lists/m.csv"
        var plain: [Subscriber] = []
        try ListFile.read(Data("email,name\nb@example.fi,Bé\n".utf8), path: path) { plain.append($0) }
        var marked: [Subscriber] = []
        try ListFile.read(Data([0xEF, 0xBB, 0xBF] + "email,name\r\nb@example.fi,Bé".utf8), path: path) { marked.append($0) }
        #expect(plain == [Subscriber(email: "b@example.fi", name: "Bé", position: SourcePosition(path: path, line: 2, column: 1))])
        #expect(marked == plain)
    }

    @Test func aHeaderWithAnUnclosedQuoteIsReportedAtTheQuote() {
        let path = "Lists/m.csv"
        #expect(throws: Diagnostics([.error(
            SourcePosition(path: path, line: 1, column: 7),
            "this quoted field is never closed; add the missing closing quote (\")")])
        ) {
            try ListFile.read(Data("email,\"name\nb@example.fi,B\n".utf8), path: path) { _ in }
        }
    }

    static let notUTF8 = "the list is in Windows-1252, not UTF-8; bring spreadsheets in with `tiedote lists import FILE --list NAME`"

    /// (bytes after the header line, line and column of the bad character, rows read before it)
    @Test(arguments: [
        // Windows-1252 ä (0xE4) where UTF-8 needs continuation bytes.
        (Array("a@example.fi,Mäki\nb@example.fi,M".utf8) + [0xE4] + Array("ki\nc@example.fi,C\n".utf8), 3, 15, 1),
        // A stray continuation byte after three characters of two, three and four bytes.
        (Array("b@example.fi,Öö€𝄞".utf8) + [0x80] + Array("\n".utf8), 2, 18, 0),
        // An overlong form, and a surrogate, in a quoted field on its second line.
        (Array("b@example.fi,\"x\ny".utf8) + [0xC0, 0xAF] + Array("\"\n".utf8), 3, 2, 0),
        (Array("b@example.fi,\"x\r\nyz".utf8) + [0xED, 0xA0, 0x80] + Array("\"\n".utf8), 3, 3, 0),
        // The file ends inside a character.
        (Array("a@example.fi,A\nb@example.fi,B".utf8) + [0xF0, 0x9D, 0x84], 3, 15, 1),
    ])
    func bytesThatAreNotUTF8AreAnErrorAtTheirPlace(rows: [UInt8], line: Int, column: Int, before: Int) throws {
        let workspace = try Self.workspace(list: Array("email,name\n".utf8) + rows)
        defer { try? FileManager.default.removeItem(at: workspace.root) }
        let path = workspace.displayPath(Workspace.listPath("m"))
        let expected = Diagnostics([.error(SourcePosition(path: path, line: line, column: column), Self.notUTF8)])
        for size in Self.chunkSizes + [64 * 1024] {
            var read = 0
            #expect(throws: expected) { try workspace.forEachSubscriber(list: "m", chunkSize: size) { _ in read += 1 } }
            #expect(read == before, "chunks of \(size) bytes")
        }
    }

    static let importAdvice = "the list is in UTF-16LE, not UTF-8; bring spreadsheets in with `tiedote lists import FILE --list NAME`"
    static let saveAgain = "the list is in UTF-16 without Excel's byte order mark (or big-endian), which neither list files "
        + "nor `tiedote lists import` read; save it again from the spreadsheet as \"CSV UTF-8\""

    @Test(arguments: [
        ([0xFF, 0xFE] + Array("e\0m\0".utf8), importAdvice),
        (Array("e\0m\0a\0".utf8), saveAgain),
        ([0xFE, 0xFF, 0, 0x65], saveAgain),
        (Array("\0e\0m".utf8), saveAgain),
    ])
    func utf16IsRefusedAtTheStart(bytes: [UInt8], message: String) throws {
        let workspace = try Self.workspace(list: bytes)
        defer { try? FileManager.default.removeItem(at: workspace.root) }
        let path = workspace.displayPath(Workspace.listPath("m"))
        let expected = Diagnostic.error(SourcePosition(path: path), message)
        for size in Self.chunkSizes {
            #expect(throws: expected) { try workspace.forEachSubscriber(list: "m", chunkSize: size) { _ in } }
        }
    }

    /// (header bytes, where the first one that is not UTF-8 stands): `,` and `;` headers alike.
    static let windows1252Headers: [([UInt8], Int)] = [
        (Array("email,s".utf8) + [0xE4] + Array("hk".utf8), 8),
        (Array("email;nimi;kieli".utf8) + [0xE4], 17),
        ([0xEF, 0xBB, 0xBF, 0x73, 0xE4, 0x68, 0x6B, 0xF6] + Array("posti;nimi".utf8), 2),
        (Array("\"s;".utf8) + [0xE4] + Array("\";nimi".utf8), 4),
    ]

    @Test(arguments: windows1252Headers)
    func windows1252HeaderIsRefusedBeforeAnyRow(header: [UInt8], column: Int) throws {
        let bytes = header + Array("\r\na@example.fi;M".utf8) + [0xE4] + Array("ki\r\n".utf8)
        let expected = Diagnostic.error(SourcePosition(path: "Lists/m.csv", line: 1, column: column), Self.notUTF8)
        for size in Self.chunkSizes {
            var unread = Self.chunks(of: bytes, size: size)[...]
            #expect(throws: expected) {
                try ListFile.read(path: "Lists/m.csv", chunks: { unread.popFirst().map { Data($0) } }) { _ in }
            }
        }
    }
}
