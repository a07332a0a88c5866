/// The console's names for input fields: an error about a field names it as the form labels it, not by its API name.
enum FieldLabels {
    static let labels: [String: String] = [
        // Order actions and intake.
        "reason": "理由", "note": "说明", "text": "办理结果", "answer": "答复内容", "lead_unit": "主办单位", "assisting_units": "协办单位",
        "unit": "下派单位", "working_days": "延期工作日", "reached": "是否接通", "resolved": "问题是否解决", "satisfaction": "满意度",
        "stars": "评分", "target": "并入工单编号", "colour": "牌色", "category_code": "事项分类", "title": "标题", "content": "诉求内容",
        "channel": "来源渠道", "caller.phone": "来电号码", "caller.name": "来电人姓名", "caller.id_number": "证件号码",
        "location.address": "详细地址", "location.district": "区县", "decision.reason": "不予受理原因", "decision.answer": "直接答复内容",
        "attachments": "附件", "files": "附件", "tags": "标签", "lanes": "通道", "evidence": "退单依据",
        "units": "参会单位", "meeting_at": "会商时间", "due_by": "办理期限", "decision": "会商决定",
        // The citizen portal.
        "code": "验证码", "comment": "意见", "latitude": "地图位置", "longitude": "地图位置",
        "anonymous": "匿名反映",
        // Channels.
        "inbound_secret": "接入密钥", "outbound_secret": "回复签名密钥", "outbound_url": "回复地址",
        // Administration.
        "id": "编号", "name": "名称", "kind": "类型", "parent_id": "上级单位", "district": "区县", "contact_name": "联系人",
        "contact_phone": "联系电话", "leader_review": "单位领导审核", "display_name": "姓名", "role": "角色", "unit_id": "所属单位", "password": "密码",
        "password_confirm": "确认密码", "active": "状态", "limit": "时限", "position": "规则", "auto_redo": "回访重办规则",
        "unreachable_attempts": "未接通次数", "unreachable_days": "未接通须分布的天数", "supervise_below_stars": "低分督办的星级",
        "supervise_unsatisfied_complaints": "投诉件回访不满意时列入督办关注",
        "redo_rounds": "重办次数", "returning_units": "退单单位数",
        "start": "开始日期", "end": "结束日期", "year": "年份", "file": "CSV文件",
        "warn_percent": "预警比例", "yellow_cards_for_red": "红牌所需黄牌数",
        // The order list's filter form.
        "q": "关键词", "status": "状态", "category": "事项分类", "lane": "办理通道", "overdue": "超期", "due_soon": "即将超期",
        "from": "受理日期（起）", "to": "受理日期（止）", "sort": "排序", "page": "页码", "page_size": "每页条数", "extension_pending": "延期待审批",
        "sent_back": "审核退回", "redone": "重办", "urged": "已催办", "carded": "已亮牌", "awaits_coordination": "待协调督办", "supervision_flagged": "督办关注",
        "phone": "来电号码",
        "parent_code": "上级分类", "stage": "环节",
        "limit_count": "时限数值", "limit_unit": "时限单位", "ends_on": "截止日期", "days": "限制天数",
        // Notices.
        "ids": "消息", "up_to": "消息",
        // 消息推送.
        "url": "推送地址", "secret": "签名密钥", "enabled": "开启推送",
        // 热点预警阈值.
        "min_size": "最少件数", "min_ratio": "上升倍数", "coverage": "归属比例", "window_days": "统计天数", "baseline_days": "基线天数",
        "webhook_url": "推送地址", "webhook_secret": "签名密钥",
        // 话术 and 典型案例 (their pages name `text`, `note` and `reason` themselves).
        "situation": "场景", "order_number": "工单编号", "tag": "标签", "state": "状态",
    ]

    /// The label of an API field name (`caller.phone`, `items[0].unit_id`); the name itself when there is none.
    static func label(_ field: String) -> String {
        let plain = field.replacingOccurrences(of: "\\[[0-9]+\\]", with: "", options: .regularExpression)
        return labels[plain] ?? plain.split(separator: ".").last.flatMap { labels[String($0)] } ?? field
    }

    /// An error as a form shows it: "字段 reason 无效：不能为空" becomes "理由：不能为空".
    static func message(_ e: APIError) -> String {
        guard let field = e.field, let range = e.message.range(of: "无效：") else { return e.message }
        return label(field) + "：" + e.message[range.upperBound...]
    }
}
