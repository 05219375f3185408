#include "process_startup.h"

#if defined(__linux__)
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

// Defined by the linker (GNU ld, gold and lld) in the object being linked: where its .bss
// starts, and the end of its data. Meant for an executable (`switchyard`), whose .bss holds the
// statically linked Swift runtime's and libraries' caches.
extern char __bss_start[];
extern char _end[];

int switchyard_populate_zero_initialized_data(void) {
    long page = sysconf(_SC_PAGESIZE);
    if (page <= 0) return EINVAL;
    // Whole pages only: the page __bss_start is on also holds initialised data, already present.
    uintptr_t start = ((uintptr_t)__bss_start + (uintptr_t)page - 1) & ~((uintptr_t)page - 1);
    uintptr_t end = ((uintptr_t)_end + (uintptr_t)page - 1) & ~((uintptr_t)page - 1);
    if (end <= start) return 0;
    return madvise((void *)start, end - start, MADV_POPULATE_WRITE) == 0 ? 0 : errno;
}
#else
int switchyard_populate_zero_initialized_data(void) { return 0; }
#endif
