import Testing
@testable import TiedoteRender
