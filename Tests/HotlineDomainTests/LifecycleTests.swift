import Foundation
import HotlineDomain
import Testing

@Suite struct LifecycleTests {
    typealias F = Fixtures

    @Test func intakeQueuesForDispatchWithTwoWorkingHours() throws {
        let outcome = try Intake.open(F.draft(), number: OrderNumber(day: CivilDay(iso: "2025-03-03")!, sequence: 7), earlier: nil,
                                      by: F.agent, at: F.monday, in: F.context)
        #expect(outcome.order.status == .pendingDispatch)
        #expect(outcome.order.number.description == "20250303000007")
        #expect(outcome.order.deadlines.dispatchBy?.chinaISO8601 == "2025-03-03T12:00:00+08:00")
        #expect(outcome.events.map(\.kind) == [.created])
    }

    @Test func wholeLoopFromIntakeToArchive() throws {
        var order = try F.opened()
        order = try F.step(order, .dispatch(lead: "dist-east", assisting: ["dept-housing"], note: "请核实"), by: F.dispatcher)
        #expect(order.status == .dispatched)
        #expect(order.deadlines.replyBy?.chinaISO8601 == "2025-03-17T23:59:59+08:00")
        order = try F.step(order, .sign, by: F.eastStaff)
        order = try F.step(order, .subDispatch(unit: "st-east-1", note: nil), by: F.eastStaff)
        order = try F.step(order, .reply(text: "街道已维修路灯。", attachments: [AttachmentInfo(name: "photo.jpg", contentType: "image/jpeg", size: 1024)]),
                           by: F.streetStaff)
        #expect(order.status == .replied)
        #expect(order.reply?.unit == "st-east-1")
        order = try F.step(order, .passReview(note: nil), by: F.reviewer)
        order = try F.step(order, .recordCallback(.reached(resolved: true, satisfaction: .satisfied, stars: nil, note: "")), by: F.callbackAgent)
        #expect(order.status == .closed)
        order = try F.step(order, .archive, by: F.dispatcher)
        #expect(order.status == .archived)
        #expect(order.version == 8)
    }

    @Test func signingBeforeDispatchIsIllegal() throws {
        #expect(throws: LifecycleError.illegalTransition(action: .sign, from: .pendingDispatch)) {
            try F.step(try F.opened(), .sign, by: F.eastStaff)
        }
    }

    @Test func anotherUnitCannotSign() throws {
        #expect(throws: LifecycleError.wrongUnit(action: .sign)) { try F.step(try F.dispatched(), .sign, by: F.westStaff) }
    }

    @Test func agentMayNotDispatch() throws {
        #expect(throws: LifecycleError.notPermitted(action: .dispatch, role: .agent)) {
            try F.step(try F.opened(), .dispatch(lead: "dist-east", assisting: [], note: nil), by: F.agent)
        }
    }

    @Test func dispatchToUnknownUnitIsRefused() throws {
        #expect(throws: LifecycleError.unknownUnit("nowhere")) {
            try F.step(try F.opened(), .dispatch(lead: "nowhere", assisting: [], note: nil), by: F.dispatcher)
        }
    }

    @Test func returnWithinOneWorkingDayGoesBackToTheCentre() throws {
        let order = try F.step(try F.dispatched(), .returnOrder(reason: "wrong_district", evidence: "不属于本区管辖"), by: F.eastStaff, at: F.time("2025-03-04T17:00:00"))
        #expect(order.status == .returned)
        #expect(order.returnCount == 1)
        let again = try F.step(order, .redispatch(lead: "dist-west", assisting: [], note: nil), by: F.dispatcher, at: F.time("2025-03-04T17:30:00"))
        #expect(again.status == .dispatched)
        #expect(again.leadUnit == "dist-west")
    }

    @Test func returnAfterOneWorkingDayIsRefused() throws {
        let order = try F.dispatched()
        #expect(throws: LifecycleError.returnWindowClosed(until: order.deadlines.returnAllowedUntil!)) {
            try F.step(order, .returnOrder(reason: "wrong_district", evidence: "不属于本区"), by: F.eastStaff, at: F.time("2025-03-05T09:00:00"))
        }
    }

    @Test func returnWithoutReasonIsRefused() throws {
        #expect(throws: LifecycleError.invalid(field: "evidence", message: "不能为空")) {
            try F.step(try F.dispatched(), .returnOrder(reason: "wrong_district", evidence: "  "), by: F.eastStaff)
        }
    }

    @Test func subDispatchMustGoDownTheTree() throws {
        #expect(throws: LifecycleError.notSubordinate("dist-west")) {
            try F.step(try F.handling(), .subDispatch(unit: "dist-west", note: nil), by: F.eastStaff)
        }
    }

    @Test func approvedExtensionMovesReplyDeadline() throws {
        var order = try F.step(try F.handling(), .requestExtension(workingDays: 5, reason: "需现场勘查"), by: F.eastStaff)
        #expect(throws: LifecycleError.extensionAlreadyPending) {
            try F.step(order, .requestExtension(workingDays: 2, reason: "再延"), by: F.eastStaff)
        }
        order = try F.step(order, .approveExtension(note: nil), by: F.supervisor)
        #expect(order.deadlines.replyBy?.chinaISO8601 == "2025-03-24T23:59:59+08:00")
        #expect(order.pendingExtension == nil)
        #expect(order.extensionCount == 1)
    }

    @Test func deniedExtensionKeepsDeadline() throws {
        let handling = try F.handling()
        var order = try F.step(handling, .requestExtension(workingDays: 5, reason: "需现场勘查"), by: F.eastStaff)
        order = try F.step(order, .denyExtension(reason: "理由不充分"), by: F.dispatcher)
        #expect(order.deadlines.replyBy == handling.deadlines.replyBy)
        #expect(throws: LifecycleError.noPendingExtension) { try F.step(order, .approveExtension(note: nil), by: F.dispatcher) }
    }

    @Test func reviewerSendsBackToHandling() throws {
        let replied = try F.step(try F.handling(), .reply(text: "已处理", attachments: []), by: F.eastStaff)
        let back = try F.step(replied, .sendBack(reason: "答复未说明处理结果"), by: F.reviewer)
        #expect(back.status == .handling)
    }

    @Test func unsatisfiedCallbackLeadsToRedoAndSecondRedoEscalates() throws {
        var order = try F.step(try F.awaitingCallback(), .recordCallback(.reached(resolved: false, satisfaction: .unsatisfied, stars: nil, note: "灯还是不亮")),
                               by: F.callbackAgent)
        order = try F.step(order, .redo(reason: "市民不满意"), by: F.dispatcher)
        #expect(order.status == .dispatched)
        #expect(order.redoCount == 1)
        #expect(!order.escalated)
        order = try F.step(order, .sign, by: F.eastStaff)
        order = try F.step(order, .reply(text: "再次维修", attachments: []), by: F.eastStaff)
        order = try F.step(order, .passReview(note: nil), by: F.reviewer)
        let outcome = try Lifecycle.apply(.redo(reason: "仍未解决"), to: order, by: F.supervisor, at: F.monday, in: F.context)
        #expect(outcome.order.redoCount == 2)
        #expect(outcome.order.escalated)
        #expect(outcome.events.map(\.kind) == [.redone, .escalated])
    }

    @Test func satisfiedResultCannotBeRedone() throws {
        let closed = try F.step(try F.awaitingCallback(), .recordCallback(.reached(resolved: true, satisfaction: .satisfied, stars: nil, note: "")),
                                by: F.callbackAgent)
        #expect(throws: LifecycleError.self) { try F.step(closed, .redo(reason: "再办"), by: F.dispatcher) }
    }

    @Test func thirdUnansweredCallbackOnASecondDayClosesTheOrder() throws {
        var order = try F.awaitingCallback()
        for _ in 0..<2 {
            order = try F.step(order, .recordCallback(.unreachable(note: "")), by: F.callbackAgent)
            #expect(order.status == .awaitingCallback)
        }
        order = try F.step(order, .recordCallback(.unreachable(note: "")), by: F.callbackAgent, at: F.time("2025-03-04T10:00:00"))
        #expect(order.status == .closed)
        #expect(order.callbackAttempts == 3)
    }

    @Test func directAnswerClosesOnTheCall() throws {
        let order = try F.opened(F.draft(kind: .consultation, decision: .answerDirectly("社保卡可在就近网点补办。")))
        #expect(order.status == .closed)
        #expect(order.directAnswer == "社保卡可在就近网点补办。")
    }

    @Test func emergencyIsRejectedWithTheRightNumber() throws {
        let order = try F.opened(F.draft(decision: .reject(.emergencyFire, note: "")))
        #expect(order.status == .rejected)
        #expect(order.rejection?.reason.redirectNumber == "119")
    }

    @Test func otherRejectionNeedsANote() throws {
        #expect(throws: LifecycleError.invalid(field: "note", message: "不能为空")) {
            try F.opened(F.draft(decision: .reject(.other, note: "")))
        }
    }

    @Test func sameFactsAfterFinalReplyAreNotAccepted() throws {
        var earlier = try F.step(try F.awaitingCallback(), .close(note: "市民不需回访"), by: F.callbackAgent)
        earlier = try F.step(earlier, .markFinalReply(note: "已依法作出最终答复"), by: F.supervisor)
        let outcome = try Intake.open(F.draft(repeatOf: earlier.number), number: OrderNumber(day: CivilDay(iso: "2025-03-04")!, sequence: 1),
                                      earlier: earlier, by: F.agent, at: F.time("2025-03-04T09:00:00"), in: F.context)
        #expect(outcome.order.status == .rejected)
        #expect(outcome.order.rejection?.reason == .finalReplyGiven)
    }

    @Test func mergeClosesDuplicateIntoTarget() throws {
        let target = try F.dispatched()
        let duplicate = try Intake.open(F.draft(), number: OrderNumber(day: CivilDay(iso: "2025-03-03")!, sequence: 2), earlier: nil,
                                        by: F.agent, at: F.monday, in: F.context).order
        let result = try Lifecycle.merge(duplicate, into: target, by: F.dispatcher, at: F.monday, note: "同一路灯")
        #expect(result.source.order.status == .merged)
        #expect(result.source.order.mergedInto == target.number)
        #expect(result.target.order.mergedOrders == [duplicate.number])
        #expect(throws: LifecycleError.cannotMergeIntoItself) {
            try Lifecycle.merge(target, into: target, by: F.dispatcher, at: F.monday, note: nil)
        }
    }

    @Test func invalidIntakeFieldsAreNamed() throws {
        var d = F.draft()
        d.caller.phone = "call me"
        #expect(throws: LifecycleError.invalid(field: "caller.phone", message: "电话号码格式不正确")) { try F.opened(d) }
        d = F.draft()
        d.content = String(repeating: "长", count: TextLimits.content + 1)
        #expect(throws: LifecycleError.invalid(field: "content", message: "不能超过\(TextLimits.content)字")) { try F.opened(d) }
        d = F.draft()
        d.categoryCode = "99"
        #expect(throws: LifecycleError.unknownCategory("99")) { try F.opened(d) }
    }

    @Test func urgentLaneGetsSameDayLimits() throws {
        let order = try F.step(try F.opened(F.draft(lanes: [.urgentLivelihood])), .dispatch(lead: "dist-east", assisting: [], note: nil), by: F.dispatcher)
        #expect(order.deadlines.replyBy == F.monday.addingTimeInterval(24 * 3600))
    }

    @Test func overdueFollowsTheActiveDeadline() throws {
        let order = try F.dispatched()
        #expect(!order.isOverdue(at: F.time("2025-03-17T20:00:00")))
        #expect(order.isOverdue(at: F.time("2025-03-18T00:00:00")))
    }

    @Test func categoryTreeBuildsDottedCodesUpToFiveLevels() throws {
        let tree = try CategoryTree.fromCSV("level1,level2,level3\n城乡建设,安全生产,事故处理\n城乡建设,安全生产,安全隐患\n劳动和社会保障,社保,\n")
        #expect(tree.nodes.map(\.code) == ["01", "01.01", "01.01.01", "01.01.02", "02", "02.01"])
        var deep = CategoryTree()
        #expect(throws: CategoryTree.BuildError.tooDeep(row: 0)) { try deep.add(path: ["a", "b", "c", "d", "e", "f"]) }
    }

    @Test func acceptanceScreenWarnsAboutEmergencies() {
        #expect(AcceptanceScreen.warnings(for: "楼下着火了，有人被困") == [.emergencyFire])
        #expect(AcceptanceScreen.warnings(for: "路灯不亮").isEmpty)
    }
}

@Suite struct DataScopeTests {
    typealias F = Fixtures

    @Test func centreRolesSeeEverythingUnitsTheirSubtreeEditorsNothing() throws {
        let order = try F.dispatched()
        #expect(F.dispatcher.scope.allows(order, in: F.units))
        #expect(F.eastStaff.scope.allows(order, in: F.units))
        #expect(!F.westStaff.scope.allows(order, in: F.units))
        #expect(!F.streetStaff.scope.allows(order, in: F.units))
        #expect(!Actor(userID: "ed", role: .knowledgeEditor).scope.allows(order, in: F.units))
        #expect(!Actor(userID: "u", role: .unitStaff, unit: nil).scope.allows(order, in: F.units))
    }

    @Test func parentUnitSeesOrdersLedBelowIt() throws {
        let order = try F.step(try F.opened(), .dispatch(lead: "comm-east-1-1", assisting: [], note: nil), by: F.dispatcher)
        #expect(F.eastStaff.scope.allows(order, in: F.units))
        #expect(F.streetStaff.scope.allows(order, in: F.units))
        #expect(F.units.subtree(of: "dist-east") == ["comm-east-1-1", "dist-east", "st-east-1"])
    }
}
