import ArgumentParser
import TiedoteCore

/// `tiedote forget`: erase an address from every list (GDPR); keep only a salted hash.
struct ForgetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forget",
        abstract: "Erase an address from every list (GDPR); keep only a salted hash."
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        throw ValidationError("'forget' is not built yet")
    }
}
