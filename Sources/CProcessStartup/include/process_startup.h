#ifndef SWITCHYARD_PROCESS_STARTUP_H
#define SWITCHYARD_PROCESS_STARTUP_H

/// Faults in the executable's zero-initialised data (its `.bss`) with one `madvise` call, so the
/// first write to each page later is not a fault of its own. Best effort: returns 0 when done,
/// else the `errno` of the refusal (kernels before Linux 5.14 have no MADV_POPULATE_WRITE), and
/// changes nothing on systems other than Linux.
int switchyard_populate_zero_initialized_data(void);

#endif
