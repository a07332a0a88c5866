import Foundation
import HotlineStorage
import Testing

@Suite struct MerkleTreeTests {
    /// The inputs of Certificate Transparency's reference tests (RFC 6962), and the roots of their first 1…8 leaves.
    static let inputs = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]
    static let roots = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]
    static let leaves = inputs.map { MerkleTree.leafHash(MerkleTree.bytes(hex: $0)!) }

    @Test func rootsMatchTheRFC6962ReferenceVectors() {
        let computed = (1...8).map { MerkleTree.hex(MerkleTree.root(Array(Self.leaves.prefix($0)))) }
        #expect(computed == Self.roots)
        #expect(MerkleTree.hex(MerkleTree.root([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func auditPathsMatchTheReferenceVectors() {
        #expect(MerkleTree.path(0, in: Self.leaves).map(MerkleTree.hex) == [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ])
        #expect(MerkleTree.path(5, in: Array(Self.leaves.prefix(7))).map(MerkleTree.hex) == [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ])
    }

    @Test func everyLeafsPathVerifiesAndAnotherLeafDoesNot() {
        for size in 1...40 {
            let leaves = (0..<size).map { MerkleTree.leafHash([UInt8(truncatingIfNeeded: $0), 7]) }
            let root = MerkleTree.root(leaves)
            for index in 0..<size {
                let path = MerkleTree.path(index, in: leaves)
                #expect(MerkleTree.verify(leaf: leaves[index], index: index, size: size, path: path, root: root), "size \(size) leaf \(index)")
                #expect(!MerkleTree.verify(leaf: MerkleTree.leafHash([9, 9, 9]), index: index, size: size, path: path, root: root))
            }
        }
    }

    @Test func chunkedPathsAreTheWholeTreesPaths() {
        let chunkSize = 4
        for size in [1, 3, 4, 5, 8, 9, 13, 16, 17, 31] {
            let leaves = (0..<size).map { MerkleTree.leafHash([UInt8(truncatingIfNeeded: $0)]) }
            let chunks = stride(from: 0, to: size, by: chunkSize).map { Array(leaves[$0..<min($0 + chunkSize, size)]) }
            let chunkRoots = chunks.map(MerkleTree.root)
            #expect(MerkleTree.root(chunkRoots) == MerkleTree.root(leaves), "size \(size)")
            for index in 0..<size {
                #expect(MerkleTree.path(index, chunkSize: chunkSize, chunk: chunks[index / chunkSize], chunkRoots: chunkRoots)
                    == MerkleTree.path(index, in: leaves), "size \(size) leaf \(index)")
            }
        }
    }
}
