import Crypto
import Foundation

/// The Ed25519 key that signs checkpoints (存证签名密钥). It lives in a file outside the database, readable by its owner
/// only, so that whoever administers the database cannot sign a checkpoint over a history they rewrote.
public struct CheckpointKey: Sendable {
    /// The private key's 32 raw bytes (swift-crypto's key types are not `Sendable`).
    let raw: Data

    public var privateKey: Curve25519.Signing.PrivateKey { try! Curve25519.Signing.PrivateKey(rawRepresentation: raw) }

    static let header = "-----BEGIN HOTLINE CHECKPOINT KEY-----"
    static let footer = "-----END HOTLINE CHECKPOINT KEY-----"

    public init() { raw = Curve25519.Signing.PrivateKey().rawRepresentation }

    public init(privateKey: Curve25519.Signing.PrivateKey) { raw = privateKey.rawRepresentation }

    /// Reads a key file: the 32 raw bytes in base64 between the header and footer lines (or on a line of their own).
    public init(file path: String) throws {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch { throw CheckpointError.key("cannot read the key file \(path)") }
        let body = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("-----") }.joined()
        guard let raw = Data(base64Encoded: body), raw.count == 32, (try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)) != nil else {
            throw CheckpointError.key("\(path) does not hold a checkpoint key (32 bytes in base64)")
        }
        self.raw = raw
    }

    /// Writes a new key file with mode 0600; refuses to overwrite one.
    public static func create(at path: String) throws -> CheckpointKey {
        guard !FileManager.default.fileExists(atPath: path) else { throw CheckpointError.key("\(path) exists already; a key is never overwritten") }
        let key = CheckpointKey()
        let text = [header, key.privateKey.rawRepresentation.base64EncodedString(), footer, ""].joined(separator: "\n")
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CheckpointError.key("cannot write \(path)")
        }
        return key
    }

    public var publicKey: CheckpointPublicKey { CheckpointPublicKey(key: privateKey.publicKey) }

    public func sign(_ statement: String) throws -> String {
        try privateKey.signature(for: Data(statement.utf8)).base64EncodedString()
    }
}

/// The public half, published beside the checkpoint log: checks signatures.
public struct CheckpointPublicKey: Sendable, Equatable {
    /// The public key's 32 raw bytes.
    let raw: Data

    public var key: Curve25519.Signing.PublicKey { try! Curve25519.Signing.PublicKey(rawRepresentation: raw) }

    init(key: Curve25519.Signing.PublicKey) { raw = key.rawRepresentation }

    /// From base64 of the 32 raw bytes, or the path of a file holding that.
    public init(_ text: String) throws {
        var body = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if Data(base64Encoded: body) == nil, FileManager.default.fileExists(atPath: body) {
            body = (try? String(contentsOfFile: body, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        }
        guard let raw = Data(base64Encoded: body), raw.count == 32, (try? Curve25519.Signing.PublicKey(rawRepresentation: raw)) != nil else {
            throw CheckpointError.key("not a public key (base64 of 32 bytes, or a file holding it): \(text.prefix(60))")
        }
        self.raw = raw
    }

    public var base64: String { key.rawRepresentation.base64EncodedString() }

    /// The key's fingerprint: the first 16 hex digits of SHA-256 over its raw bytes.
    public var keyID: String { String(MerkleTree.hex(SHA256.hash(data: key.rawRepresentation)).prefix(16)) }

    public func isValid(signature: String, for statement: String) -> Bool {
        guard let raw = Data(base64Encoded: signature) else { return false }
        return key.isValidSignature(raw, for: Data(statement.utf8))
    }

}

public enum CheckpointError: Error, Equatable, CustomStringConvertible {
    case key(String)
    case log(String)

    public var description: String {
        switch self {
        case .key(let message), .log(let message): message
        }
    }
}
