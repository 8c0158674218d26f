import Testing
@testable import TiedoteCLI
