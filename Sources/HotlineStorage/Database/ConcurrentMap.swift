import Foundation

extension Array where Element: Sendable {
    /// `transform` applied to every element, on as many tasks as the machine has cores (each taking a contiguous
    /// slice), in the original order. For CPU-bound work on whole batches (decoding and encoding order documents,
    /// hashing events) that would otherwise run on one core while the others wait.
    func concurrentMap<T: Sendable>(_ transform: @escaping @Sendable (Element) throws -> T) async throws -> [T] {
        let cores = Swift.max(1, ProcessInfo.processInfo.activeProcessorCount)
        guard count >= 64, cores > 1 else { return try map(transform) }
        let size = (count + cores - 1) / cores
        return try await withThrowingTaskGroup(of: (Int, [T]).self) { group in
            for start in stride(from: 0, to: count, by: size) {
                let slice = Array(self[start..<Swift.min(start + size, count)])
                group.addTask { (start, try slice.map(transform)) }
            }
            var parts: [(Int, [T])] = []
            for try await part in group { parts.append(part) }
            return parts.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }
}
