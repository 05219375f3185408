import SandboxCommands

/// The `switchyard-sandbox` executable: the project's simulated counterparts, apart from the shipped binary.
@main
enum SandboxMain {
    static func main() async {
        await SandboxCommand.run(arguments: Array(CommandLine.arguments.dropFirst()))
    }
}
