import Testing
@testable import TiedoteMail
