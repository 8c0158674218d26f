import Testing
@testable import TiedoteWeb

struct FormFieldsTests {
    @Test func decodesPlusPercentAndRepeatedNames() throws {
        let fields = try FormFields(parsing: "email=aino%40example.fi&name=Aino+M%C3%A4kel%C3%A4&interests=Tanssi&interests=Teatteri&consent=yes")
        #expect(fields["email"] == "aino@example.fi")
        #expect(fields["name"] == "Aino Mäkelä")
        #expect(fields.all("interests") == ["Tanssi", "Teatteri"])
        #expect(fields["missing"] == nil)
    }

    @Test(arguments: ["name=a%0Db", "name=a%0Ab", "name=a%00b", "na%0Ame=x"])
    func refusesLineBreaksAndNul(_ body: String) {
        #expect(throws: FormFields.Problem.controlCharacter) { try FormFields(parsing: body) }
    }

    @Test(arguments: ["name=%", "name=%4", "name=%zz", "name=%C3%28"])
    func refusesBrokenEncoding(_ body: String) {
        #expect(throws: FormFields.Problem.undecodable) { try FormFields(parsing: body) }
    }

    @Test func refusesTooManyFields() {
        let body = (0...FormFields.maximumFields).map { "f\($0)=x" }.joined(separator: "&")
        #expect(throws: FormFields.Problem.tooManyFields) { try FormFields(parsing: body) }
    }
}
