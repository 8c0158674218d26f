import Foundation
import Testing
import TiedoteCore
@testable import TiedoteAudience

struct CSVTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var separator: CSV.Separator
        var fields: [[String]]
        var lines: [Int]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "plain LF", text: "a,b\nc,d\n", separator: .comma, fields: [["a", "b"], ["c", "d"]], lines: [1, 2]),
        Case(name: "CRLF", text: "a;b\r\nc;d\r\n", separator: .semicolon, fields: [["a", "b"], ["c", "d"]], lines: [1, 2]),
        Case(name: "lone CR", text: "a,b\rc,d", separator: .comma, fields: [["a", "b"], ["c", "d"]], lines: [1, 2]),
        Case(name: "no final newline", text: "a,b\nc,", separator: .comma, fields: [["a", "b"], ["c", ""]], lines: [1, 2]),
        Case(name: "separator inside quotes", text: "\"a;b\";c\n", separator: .semicolon, fields: [["a;b", "c"]], lines: [1]),
        Case(name: "doubled quotes", text: "\"say \"\"hei\"\"\",x\n", separator: .comma, fields: [["say \"hei\"", "x"]], lines: [1]),
        Case(name: "newline inside quotes", text: "\"one\r\ntwo\",x\r\nnext,y\r\n", separator: .comma,
             fields: [["one\ntwo", "x"], ["next", "y"]], lines: [1, 3]),
        Case(name: "tab separated", text: "a\tb\n", separator: .tab, fields: [["a", "b"]], lines: [1]),
        Case(name: "empty quoted field", text: "\"\",b\n", separator: .comma, fields: [["", "b"]], lines: [1]),
    ]

    @Test(arguments: cases)
    func parses(_ testCase: Case) throws {
        let records = try CSV.records(testCase.text, separator: testCase.separator)
        #expect(records.map(\.fields) == testCase.fields)
        #expect(records.map(\.line) == testCase.lines)
    }

    @Test func fieldColumnsAndLinesAreCounted() throws {
        let records = try CSV.records("x,y\n\"a\nb\",ccc,d\n", separator: .comma)
        #expect(records[1].lines == [2, 3, 3])
        #expect(records[1].columns == [1, 4, 8])
        #expect(records[1].position(of: 2, in: "f.csv") == SourcePosition(path: "f.csv", line: 3, column: 8))
    }

    @Test func unclosedQuoteIsAnErrorAtTheQuote() {
        #expect(throws: CSV.SyntaxError(line: 2, column: 3, message: "this quoted field is never closed; add the missing closing quote (\")")) {
            try CSV.records("a,b\nx,\"open\nmore\n", separator: .comma)
        }
    }

    @Test func textAfterClosingQuoteIsAnError() {
        #expect(throws: CSV.SyntaxError.self) { try CSV.records("\"a\"b,c\n", separator: .comma) }
    }

    @Test(arguments: [
        ("sähköposti;nimi;kunta", CSV.Separator.semicolon),
        ("email,name,municipality", .comma),
        ("email\tname", .tab),
        ("\"a,b\";c", .semicolon),
        ("email", .comma),
    ])
    func detectsSeparator(header: String, expected: CSV.Separator) {
        #expect(CSV.detectSeparator(in: header + "\nx") == expected)
    }

    @Test func detectsEncodings() {
        #expect(CSV.decode(Data([0xEF, 0xBB, 0xBF, 0x61])) == ("a", .utf8WithBOM))
        #expect(CSV.decode(Data("ä".utf8)) == ("ä", .utf8))
        #expect(CSV.decode(Data([0xFF, 0xFE, 0xE4, 0x00])) == ("ä", .utf16LE))
        // € ä ö å Ä Ö Å and the typographic quotes, as Windows-1252 bytes.
        let cp1252: [UInt8] = [0x80, 0xE4, 0xF6, 0xE5, 0xC4, 0xD6, 0xC5, 0x93, 0x94]
        #expect(CSV.decode(Data(cp1252)) == ("€äöåÄÖÅ\u{201C}\u{201D}", .windows1252))
    }

    @Test func windows1252RoundTrips() throws {
        let text = "Äänekoski € – “lainaus”"
        let bytes = try #require(Windows1252.encode(text))
        #expect(Windows1252.decode(bytes) == text)
        #expect(Windows1252.encode("漢") == nil)
    }

    @Test(arguments: [
        ["plain", "with,comma", "with \"quote\"", "two\nlines", " padded ", ""],
        ["ä;ö", "€"],
    ])
    func writerRoundTrips(fields: [String]) throws {
        for separator in CSV.Separator.allCases {
            let text = CSV.text([fields, ["x"]], separator: separator, lineEnd: "\r\n")
            #expect(try CSV.records(text, separator: separator).map(\.fields) == [fields, ["x"]])
        }
    }

    @Test func quotesOnlyWhenNeeded() {
        #expect(CSV.line(["a", "b c", "d,e", "f\"g"]) == "a,b c,\"d,e\",\"f\"\"g\"")
    }
}
