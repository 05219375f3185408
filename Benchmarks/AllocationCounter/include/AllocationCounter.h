#ifndef ALLOCATION_COUNTER_H
#define ALLOCATION_COUNTER_H

/// Heap allocations (malloc, calloc, realloc, posix_memalign, aligned_alloc) made by this
/// process since it started, on every thread. Linked into a benchmark executable only: it
/// interposes the C allocator's entry points and forwards each to glibc's own.
unsigned long allocation_count(void);

#endif
