import Dispatch

extension Array where Element: Sendable {
    /// `transform` of every element, in order, computed on up to every core at once
    /// (`DispatchQueue.concurrentPerform`): the calling thread takes part, and Dispatch's worker
    /// threads join in when they are free (on Linux they are also the threads Swift's tasks run
    /// on, so a task that waits gives its thread to the map), so this never waits for a thread
    /// that cannot come. For work that does not wait on others: `transform` must not block on
    /// something only another thread of the pool can provide.
    func concurrentMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
        guard count > 1 else { return map(transform) }
        return [T](unsafeUninitializedCapacity: count) { results, initialized in
            let slots = Slots(base: results.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: count) { index in
                (slots.base + index).initialize(to: transform(self[index]))
            }
            initialized = count
        }
    }
}

/// The results' storage, shared by the threads of one ``Swift/Array/concurrentMap(_:)``: each
/// index is written once, by whichever thread takes it, and read only after all have finished.
private struct Slots<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>
}
