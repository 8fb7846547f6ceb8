import Dispatch

/// `(0..<count).map(transform)`, with the calls spread over every core.
///
/// For CPU-bound work whose items are independent (a checkpoint's page encoding and
/// compression). The results land in order; `transform` must be safe to call concurrently.
/// The only unsafe-pointer use: each index writes its own, distinct slot of one buffer, and
/// the buffer is read only after every call has returned.
func parallelMap<T: Sendable>(_ count: Int, _ transform: @Sendable (Int) -> T) -> [T] {
    if count <= 1 { return (0..<count).map(transform) }
    let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
    results.initialize(repeating: nil)
    defer { results.deinitialize().deallocate() }
    let slots = SlotsForParallelMap(results)
    DispatchQueue.concurrentPerform(iterations: count) { index in
        slots.store(transform(index), at: index)
    }
    return results.map { $0! }
}

/// Hands `parallelMap`'s result buffer to its concurrent calls, each writing one slot.
private struct SlotsForParallelMap<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T?>

    init(_ buffer: UnsafeMutableBufferPointer<T?>) { self.buffer = buffer }

    func store(_ value: T, at index: Int) { buffer[index] = value }
}
