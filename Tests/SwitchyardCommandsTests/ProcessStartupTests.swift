import CProcessStartup
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// The shipped executable's start-up tuning (README "Benchmarks" has its effect on `switchyard quote`).
@Suite("Process start-up")
struct ProcessStartupTests {
    /// A range that is not whole pages of this process's mapped memory is refused (EINVAL, ENOMEM),
    /// so this fails if the bounds of the zero-initialised data were read wrong. On a kernel
    /// without MADV_POPULATE_WRITE (before Linux 5.14), found on a page of its own, there is
    /// nothing to check.
    @Test("the executable's zero-initialised data is faulted in: the kernel accepts its range")
    func populatesZeroInitializedData() throws {
        #if os(Linux)
        let page = sysconf(Int32(_SC_PAGESIZE))
        let probe = mmap(nil, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        try #require(probe != MAP_FAILED)
        defer { munmap(probe, page) }
        guard madvise(probe, page, 23 /* MADV_POPULATE_WRITE */) == 0 else { return }
        #expect(switchyard_populate_zero_initialized_data() == 0)
        #endif
    }
}
