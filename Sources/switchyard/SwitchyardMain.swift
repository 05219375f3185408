import SwitchyardCommands

/// The `switchyard` executable: everything lives in SwitchyardCommands so tests can drive it.
@main
enum SwitchyardMain {
    static func main() async {
        await SwitchyardCommand.run(arguments: Array(CommandLine.arguments.dropFirst()))
    }
}
