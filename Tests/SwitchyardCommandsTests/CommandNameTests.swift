import ArgumentParser
import SwitchyardCommands
import Testing

@Suite("Command names")
struct CommandNameTests {
    /// ArgumentParser derives a missing name from the type's name with `String(describing:)`, which
    /// searches every protocol conformance record of the binary (about 0.2 ms per command at every
    /// start of `switchyard`, whatever the command run).
    @Test("every command names itself")
    func named() {
        var unnamed = [String]()
        var pending: [any ParsableCommand.Type] = [SwitchyardCommand.self]
        var visited = 0
        while let command = pending.popLast() {
            visited += 1
            if command.configuration.commandName == nil { unnamed.append(String(reflecting: command)) }
            pending.append(contentsOf: command.configuration.subcommands)
        }
        #expect(unnamed.isEmpty, "commands without a commandName: \(unnamed)")
        #expect(visited > 10)
    }
}
