#if os(Linux)
/// glibc's `malloc_trim(3)`, which `Glibc` does not export (it lives in `<malloc.h>`).
@_silgen_name("malloc_trim")
private func cMallocTrim(_ pad: Int) -> Int32
#endif

/// Hands free heap memory back to the kernel (`malloc_trim(0)` on glibc; nothing elsewhere).
///
/// A checkpoint releases many mid-sized blocks (dirty pages, page buffers); without this,
/// glibc keeps them mapped and resident memory drifts above the cache and dirty budgets.
func releaseFreeMemory() {
    #if os(Linux)
    _ = cMallocTrim(0)
    #endif
}
