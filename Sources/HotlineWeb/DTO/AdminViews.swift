import Foundation
import HotlineDomain
import HotlineStorage

/// Views of the administration API.
enum AdminBody {
    struct IssuedAPIKey: Encodable {
        var id: String
        var token: String
        var expiresAt: Date
        var scopes: [TokenScope]
    }

    struct UserView: Encodable {
        var id: String
        var displayName: String
        var role: Role
        var roleName: String
        var unitId: String?
        var active: Bool
        var lockedUntil: Date?
        var failedLogins: Int

        init(_ r: UserRecord) {
            id = r.account.id
            displayName = r.account.displayName
            role = r.account.role
            roleName = r.account.role.chineseName
            unitId = r.account.unitID
            active = r.active
            lockedUntil = r.lockedUntil
            failedLogins = r.failedLogins
        }
    }
}
