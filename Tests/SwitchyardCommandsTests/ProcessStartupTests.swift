import CProcessStartup
import Testing

/// The shipped executable's start-up tuning (README "Benchmarks" has its effect on `switchyard quote`).
@Suite("Process start-up")
struct ProcessStartupTests {
    /// A range that is not whole pages of this process's mapped memory is refused (EINVAL, ENOMEM),
    /// so this fails if the bounds of the zero-initialised data were read wrong.
    @Test("the executable's zero-initialised data is faulted in: the kernel accepts its range")
    func populatesZeroInitializedData() {
        #if os(Linux)
        #expect(switchyard_populate_zero_initialized_data() == 0)
        #endif
    }
}
