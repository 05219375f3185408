import CProcessStartup
import SwitchyardCommands

/// The `switchyard` executable: everything lives in SwitchyardCommands so tests can drive it.
@main
enum SwitchyardMain {
    static func main() async {
        // Before a second thread runs: the zero-initialised data (the Swift runtime's and the
        // libraries' lazily filled caches) faulted in at once. Otherwise the first read of each
        // page maps the shared zero page and the first write replaces it, and with threads on two
        // cores each replacement interrupts the other core to flush its TLB: 0.6-0.85 ms of a
        // `switchyard quote` on this 2-core virtual machine, for 0.9 MB more resident memory (the
        // 1.6 MB .bss made resident whole; README "Benchmarks"). Best effort: an older kernel
        // refuses and nothing changes.
        _ = switchyard_populate_zero_initialized_data()
        await SwitchyardCommand.run(arguments: Array(CommandLine.arguments.dropFirst()))
    }
}
