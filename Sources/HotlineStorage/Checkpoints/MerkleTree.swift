import Crypto
import Foundation

/// A Merkle tree in the style of RFC 6962 / RFC 9162 (Certificate Transparency): a leaf's hash is SHA-256 over
/// 0x00 and the leaf's bytes, an inner node's SHA-256 over 0x01 and its two children; a tree of n leaves splits at the
/// largest power of two below n. Computed bottom-up, the last node of an odd level moves up unchanged, which gives
/// the same root and audit paths as the recursive definition, so proofs check with any standard verifier.
public enum MerkleTree {
    /// 32 bytes.
    public typealias Hash = [UInt8]

    /// The root of no leaves: SHA-256 of the empty string.
    public static let emptyRoot: Hash = Array(SHA256.hash(data: Data()))

    public static func leafHash(_ leaf: some Sequence<UInt8>) -> Hash {
        var hasher = SHA256()
        hasher.update(data: [0])
        hasher.update(data: Array(leaf))
        return Array(hasher.finalize())
    }

    public static func nodeHash(_ left: Hash, _ right: Hash) -> Hash {
        var hasher = SHA256()
        hasher.update(data: [1])
        hasher.update(data: left)
        hasher.update(data: right)
        return Array(hasher.finalize())
    }

    /// The root over `nodes` taken as one level of the tree (leaf hashes, or the roots of equal, aligned subtrees).
    public static func root(_ nodes: [Hash]) -> Hash {
        guard !nodes.isEmpty else { return emptyRoot }
        var level = nodes
        while level.count > 1 { level = up(level) }
        return level[0]
    }

    /// The audit path of `index` among `nodes`, from the bottom up (RFC 9162 §2.1.3).
    public static func path(_ index: Int, in nodes: [Hash]) -> [Hash] {
        precondition(nodes.indices.contains(index), "no node \(index) among \(nodes.count)")
        var path: [Hash] = []
        var level = nodes
        var i = index
        while level.count > 1 {
            let sibling = i ^ 1
            if sibling < level.count { path.append(level[sibling]) }
            level = up(level)
            i /= 2
        }
        return path
    }

    /// The audit path of leaf `index` in a tree kept as chunks: `chunk` holds the leaf hashes of the leaf's own chunk
    /// and `chunkRoots` the root of every chunk in order. Every chunk but the last holds `chunkSize` leaves, a power
    /// of two, so each is a subtree of the whole tree and the leaf's path is its path in the chunk followed by the
    /// chunk's path among the chunks' roots.
    public static func path(_ index: Int, chunkSize: Int, chunk: [Hash], chunkRoots: [Hash]) -> [Hash] {
        path(index % chunkSize, in: chunk) + path(index / chunkSize, in: chunkRoots)
    }

    /// Checks an audit path (RFC 9162 §2.1.3.2): whether `leaf` (a leaf hash) sits at `index` of a tree of `size`
    /// leaves whose root is `root`.
    public static func verify(leaf: Hash, index: Int, size: Int, path: [Hash], root: Hash) -> Bool {
        guard index >= 0, index < size else { return false }
        var fn = index
        var sn = size - 1
        var r = leaf
        for p in path {
            guard sn != 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                r = nodeHash(p, r)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                r = nodeHash(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && r == root
    }

    private static func up(_ level: [Hash]) -> [Hash] {
        var next: [Hash] = []
        next.reserveCapacity((level.count + 1) / 2)
        var i = 0
        while i + 1 < level.count {
            next.append(nodeHash(level[i], level[i + 1]))
            i += 2
        }
        if i < level.count { next.append(level[i]) }
        return next
    }
}

extension MerkleTree {
    public static func hex(_ bytes: some Sequence<UInt8>) -> String { StoredEvent.hex(bytes) }

    /// Bytes from lower- or upper-case hexadecimal; nil when the text is not hex.
    public static func bytes(hex: String) -> [UInt8]? {
        let utf8 = Array(hex.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 97...102: c - 87
            case 65...70: c - 55
            default: nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count / 2)
        var i = 0
        while i < utf8.count {
            guard let high = value(utf8[i]), let low = value(utf8[i + 1]) else { return nil }
            out.append(high << 4 | low)
            i += 2
        }
        return out
    }
}
