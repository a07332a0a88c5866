/// Every schema change, in order. Append new migrations at the end; never edit a released one.
enum Migrations {
    static let all: [Migration] = [
        Migration(id: 1, name: "directory") { kind in
            [
                """
                CREATE TABLE units (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    parent_id TEXT REFERENCES units(id),
                    district TEXT,
                    contact_name TEXT,
                    contact_phone TEXT,
                    active INTEGER NOT NULL DEFAULT 1
                )
                """,
                "CREATE INDEX units_parent ON units (parent_id)",
                """
                CREATE TABLE users (
                    id TEXT PRIMARY KEY,
                    display_name TEXT NOT NULL,
                    role TEXT NOT NULL,
                    unit_id TEXT REFERENCES units(id),
                    active INTEGER NOT NULL DEFAULT 1
                )
                """,
                """
                CREATE TABLE categories (
                    code TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    parent_code TEXT REFERENCES categories(code),
                    level INTEGER NOT NULL
                )
                """,
                """
                CREATE TABLE time_limits (
                    position INTEGER PRIMARY KEY,
                    stage TEXT NOT NULL,
                    kind TEXT,
                    category_code TEXT,
                    lane TEXT,
                    time_limit TEXT NOT NULL
                )
                """,
            ]
        },
        Migration(id: 2, name: "work_orders") { kind in
            [
                "CREATE TABLE order_sequences (day INTEGER PRIMARY KEY, last_value INTEGER NOT NULL)",
                """
                CREATE TABLE work_orders (
                    number BIGINT PRIMARY KEY,
                    status TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    category_code TEXT,
                    lead_unit TEXT,
                    caller_phone TEXT NOT NULL,
                    district TEXT,
                    title TEXT NOT NULL,
                    content TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    due_at BIGINT,
                    redo_count INTEGER NOT NULL,
                    version INTEGER NOT NULL,
                    event_count INTEGER NOT NULL,
                    last_event_hash TEXT NOT NULL,
                    doc TEXT NOT NULL
                )
                """,
                "CREATE INDEX work_orders_status ON work_orders (status, number)",
                "CREATE INDEX work_orders_lead_unit ON work_orders (lead_unit, status, due_at)",
                "CREATE INDEX work_orders_due ON work_orders (status, due_at, lead_unit)",
                "CREATE INDEX work_orders_category ON work_orders (category_code, number)",
                "CREATE INDEX work_orders_created ON work_orders (created_at)",
                "CREATE INDEX work_orders_caller ON work_orders (caller_phone, number)",
                """
                CREATE TABLE work_order_units (
                    order_number BIGINT NOT NULL REFERENCES work_orders(number),
                    unit_id TEXT NOT NULL,
                    role TEXT NOT NULL,
                    PRIMARY KEY (order_number, unit_id)
                )
                """,
                "CREATE INDEX work_order_units_unit ON work_order_units (unit_id, order_number)",
                """
                CREATE TABLE work_order_events (
                    order_number BIGINT NOT NULL REFERENCES work_orders(number),
                    seq INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    actor_id TEXT NOT NULL,
                    actor_role TEXT NOT NULL,
                    actor_unit TEXT,
                    at_ms BIGINT NOT NULL,
                    from_status TEXT,
                    to_status TEXT NOT NULL,
                    note TEXT,
                    details TEXT NOT NULL,
                    prev_hash TEXT NOT NULL,
                    hash TEXT NOT NULL,
                    PRIMARY KEY (order_number, seq)
                )
                """,
            ] + kind.appendOnly("work_order_events")
        },
        Migration(id: 3, name: "unit_scope") { _ in
            // Unit inboxes are the hottest lists: keep status and the active deadline beside each unit link so
            // that "my unit's orders in this state" and "my unit's overdue orders" are index range scans.
            [
                "ALTER TABLE work_order_units ADD COLUMN status TEXT",
                "ALTER TABLE work_order_units ADD COLUMN due_at BIGINT",
                """
                UPDATE work_order_units SET
                    status = (SELECT w.status FROM work_orders w WHERE w.number = work_order_units.order_number),
                    due_at = (SELECT w.due_at FROM work_orders w WHERE w.number = work_order_units.order_number)
                """,
                "CREATE INDEX work_order_units_unit_status ON work_order_units (unit_id, status, order_number)",
                "CREATE INDEX work_order_units_unit_due ON work_order_units (unit_id, due_at)",
            ]
        },
        Migration(id: 4, name: "accounts") { _ in
            [
                "ALTER TABLE users ADD COLUMN password_hash TEXT",
                "ALTER TABLE users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0",
                "ALTER TABLE users ADD COLUMN locked_until BIGINT",
                """
                CREATE TABLE access_tokens (
                    id TEXT PRIMARY KEY,
                    token_hash TEXT NOT NULL UNIQUE,
                    user_id TEXT NOT NULL REFERENCES users(id),
                    kind TEXT NOT NULL,
                    scopes TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    expires_at BIGINT NOT NULL,
                    revoked_at BIGINT
                )
                """,
                "CREATE INDEX access_tokens_user ON access_tokens (user_id)",
            ]
        },
        Migration(id: 5, name: "security") { kind in
            let confidentialFromDoc =
                switch kind {
                case .sqlite: "UPDATE work_orders SET caller_confidential = 1 WHERE json_extract(doc, '$.caller.confidential') = 1"
                case .postgres: "UPDATE work_orders SET caller_confidential = 1 WHERE (doc::jsonb -> 'caller' ->> 'confidential') = 'true'"
                }
            return [
                // 保密 orders must be told apart in lists without reading each order's document.
                "ALTER TABLE work_orders ADD COLUMN caller_confidential INTEGER NOT NULL DEFAULT 0",
                confidentialFromDoc,
                // Web sessions expire when idle; API keys carry a label.
                "ALTER TABLE access_tokens ADD COLUMN last_used_at BIGINT",
                "ALTER TABLE access_tokens ADD COLUMN label TEXT",
                """
                CREATE TABLE audit_log (
                    id \(kind.serialKey),
                    at_ms BIGINT NOT NULL,
                    actor_id TEXT,
                    actor_role TEXT,
                    actor_unit TEXT,
                    action TEXT NOT NULL,
                    target TEXT,
                    outcome TEXT NOT NULL,
                    detail TEXT NOT NULL,
                    client TEXT
                )
                """,
                "CREATE INDEX audit_log_at ON audit_log (at_ms)",
                "CREATE INDEX audit_log_actor ON audit_log (actor_id, id)",
                "CREATE INDEX audit_log_action ON audit_log (action, id)",
                """
                CREATE TABLE dispatch_catalogue (
                    category_code TEXT NOT NULL REFERENCES categories(code),
                    district TEXT NOT NULL,
                    unit_id TEXT NOT NULL REFERENCES units(id),
                    updated_at BIGINT NOT NULL,
                    updated_by TEXT NOT NULL,
                    PRIMARY KEY (category_code, district)
                )
                """,
                """
                CREATE TABLE dispatch_catalogue_history (
                    id \(kind.serialKey),
                    at_ms BIGINT NOT NULL,
                    actor_id TEXT NOT NULL,
                    category_code TEXT NOT NULL,
                    district TEXT NOT NULL,
                    old_unit TEXT,
                    new_unit TEXT,
                    note TEXT
                )
                """,
                "CREATE INDEX dispatch_catalogue_history_category ON dispatch_catalogue_history (category_code, id)",
                """
                CREATE TABLE caller_restrictions (
                    id \(kind.serialKey),
                    phone TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    starts_at BIGINT NOT NULL,
                    ends_at BIGINT NOT NULL,
                    created_by TEXT NOT NULL,
                    lifted_at BIGINT,
                    lifted_by TEXT,
                    lift_note TEXT
                )
                """,
                "CREATE INDEX caller_restrictions_phone ON caller_restrictions (phone, ends_at)",
            ] + kind.appendOnly("audit_log") + kind.appendOnly("dispatch_catalogue_history")
        },
        Migration(id: 6, name: "knowledge_and_models") { kind in
            let blob = kind == .postgres ? "BYTEA" : "BLOB"
            return [
                """
                CREATE TABLE knowledge_entries (
                    id \(kind.serialKey),
                    status TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    doc TEXT NOT NULL,
                    published_doc TEXT,
                    published_version INTEGER,
                    category_code TEXT,
                    unit_id TEXT,
                    created_at BIGINT NOT NULL,
                    created_by TEXT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    edited_by TEXT NOT NULL,
                    used_count INTEGER NOT NULL DEFAULT 0,
                    not_useful_count INTEGER NOT NULL DEFAULT 0
                )
                """,
                "CREATE INDEX knowledge_entries_status ON knowledge_entries (status, id)",
                """
                CREATE TABLE knowledge_history (
                    id \(kind.serialKey),
                    entry_id BIGINT NOT NULL REFERENCES knowledge_entries(id),
                    version INTEGER NOT NULL,
                    at_ms BIGINT NOT NULL,
                    actor_id TEXT NOT NULL,
                    action TEXT NOT NULL,
                    status TEXT NOT NULL,
                    doc TEXT NOT NULL,
                    note TEXT
                )
                """,
                "CREATE INDEX knowledge_history_entry ON knowledge_history (entry_id, id)",
                """
                CREATE TABLE knowledge_feedback (
                    id \(kind.serialKey),
                    entry_id BIGINT NOT NULL REFERENCES knowledge_entries(id),
                    at_ms BIGINT NOT NULL,
                    actor_id TEXT NOT NULL,
                    useful INTEGER NOT NULL,
                    order_number BIGINT,
                    query TEXT
                )
                """,
                "CREATE INDEX knowledge_feedback_entry ON knowledge_feedback (entry_id)",
                """
                CREATE TABLE text_models (
                    name TEXT PRIMARY KEY,
                    trained_at BIGINT NOT NULL,
                    examples INTEGER NOT NULL,
                    detail TEXT NOT NULL,
                    payload \(blob) NOT NULL
                )
                """,
            ] + kind.appendOnly("knowledge_history") + kind.appendOnly("knowledge_feedback")
        },
        Migration(id: 7, name: "attachments_and_supervision") { kind in
            let blob = kind == .postgres ? "BYTEA" : "BLOB"
            return [
                // Reply evidence (附件), kept in the database rather than on a web server's disk, so that every
                // instance serves it and only through the order's access checks.
                """
                CREATE TABLE order_attachments (
                    order_number BIGINT NOT NULL REFERENCES work_orders(number),
                    sha256 TEXT NOT NULL,
                    name TEXT NOT NULL,
                    content_type TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    uploaded_by TEXT NOT NULL,
                    uploaded_at BIGINT NOT NULL,
                    data \(blob) NOT NULL,
                    PRIMARY KEY (order_number, sha256)
                )
                """,
                // 督办 marks (urges, cards, escalations), one per supervision event, for the supervision board.
                """
                CREATE TABLE supervision_marks (
                    id \(kind.serialKey),
                    order_number BIGINT NOT NULL REFERENCES work_orders(number),
                    kind TEXT NOT NULL,
                    unit_id TEXT,
                    actor_id TEXT NOT NULL,
                    at_ms BIGINT NOT NULL,
                    note TEXT
                )
                """,
                "CREATE INDEX supervision_marks_at ON supervision_marks (at_ms)",
                "CREATE INDEX supervision_marks_kind ON supervision_marks (kind, at_ms)",
                "CREATE INDEX supervision_marks_order ON supervision_marks (order_number)",
            ] + kind.appendOnly("order_attachments") + kind.appendOnly("supervision_marks")
        },
        Migration(id: 8, name: "calendar_overrides") { kind in
            [
                """
                CREATE TABLE calendar_overrides (
                    id \(kind.serialKey),
                    first_day TEXT NOT NULL,
                    last_day TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    name TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    created_by TEXT NOT NULL
                )
                """
            ]
        },
        Migration(id: 9, name: "login_throttle") { _ in
            [
                // Failed-login counting (登录失败锁定) per login name as typed (normalised) and client address, so that
                // unknown names behave like real ones and nobody can lock a user out from elsewhere. `attempts` counts
                // attempts since the last success, reserved before the password is checked; users.failed_logins and
                // users.locked_until are no longer used.
                """
                CREATE TABLE login_throttle (
                    login_name TEXT NOT NULL,
                    client TEXT NOT NULL,
                    attempts INTEGER NOT NULL,
                    locked_until BIGINT,
                    last_attempt_at BIGINT NOT NULL,
                    PRIMARY KEY (login_name, client)
                )
                """
            ]
        },
        Migration(id: 10, name: "reference_version") { kind in
            [
                // One row counts every change to the reference data each instance caches (unit tree, categories, time
                // limits, calendar overrides, dispatch catalogue, platform settings); instances poll it and reload.
                "CREATE TABLE reference_version (id INTEGER PRIMARY KEY, version BIGINT NOT NULL)",
                "INSERT INTO reference_version (id, version) VALUES (1, 0)",
                "CREATE TABLE platform_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
            ] + kind.bumpsReferenceVersion(["units", "categories", "time_limits", "calendar_overrides", "dispatch_catalogue", "platform_settings"])
        },
        Migration(id: 11, name: "order_lanes") { kind in
            // Lists mark 绿色通道 and 营商环境 orders without reading each order's document: the lanes, comma-joined.
            let lanesFromDoc =
                switch kind {
                case .sqlite:
                    """
                    UPDATE work_orders SET lanes = (SELECT group_concat(value, ',') FROM json_each(work_orders.doc, '$.lanes'))
                    WHERE json_array_length(doc, '$.lanes') > 0
                    """
                case .postgres:
                    """
                    UPDATE work_orders SET lanes = (SELECT string_agg(l, ',') FROM jsonb_array_elements_text(doc::jsonb -> 'lanes') AS l)
                    WHERE jsonb_array_length(doc::jsonb -> 'lanes') > 0
                    """
                }
            return ["ALTER TABLE work_orders ADD COLUMN lanes TEXT NOT NULL DEFAULT ''", lanesFromDoc]
        },
        Migration(id: 12, name: "notices") { kind in
            [
                // 消息提醒: one row per user told of an order's event, written in the event's own transaction. The unique
                // index makes "once per user and event" a rule of the table; read state is each user's own.
                """
                CREATE TABLE notices (
                    id \(kind.serialKey),
                    user_id TEXT NOT NULL REFERENCES users(id),
                    order_number BIGINT NOT NULL REFERENCES work_orders(number),
                    event_seq INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    addressee TEXT NOT NULL,
                    at_ms BIGINT NOT NULL,
                    read_at BIGINT
                )
                """,
                "CREATE UNIQUE INDEX notices_event_user ON notices (order_number, event_seq, user_id)",
                "CREATE INDEX notices_user ON notices (user_id, id)",
                // The bell's count and the unread list: only unread rows are in this index.
                "CREATE INDEX notices_user_unread ON notices (user_id, id) WHERE read_at IS NULL",
                // Finding a unit's or a role's users when a notice is written.
                "CREATE INDEX users_unit ON users (unit_id)",
                "CREATE INDEX users_role ON users (role)",
            ]
        },
        Migration(id: 13, name: "order_queue_marks") { kind in Migrations.queueMarks(kind) },
        Migration(id: 14, name: "category_retirement") { _ in
            // 退用: a retired category stays in the tree for the orders that carry it but takes no new ones.
            ["ALTER TABLE categories ADD COLUMN retired INTEGER NOT NULL DEFAULT 0"]
        },
        Migration(id: 15, name: "knowledge_by_category") { _ in
            // Browsing the knowledge base by category (a subtree is a range of codes unless a category was moved) without reading every entry, and
            // the finished order an entry was drafted from (解答一个、规范一类).
            ["CREATE INDEX knowledge_entries_category ON knowledge_entries (category_code, id)",
             "ALTER TABLE knowledge_entries ADD COLUMN source_order BIGINT"]
        },
        Migration(id: 16, name: "sla_sweeper") { _ in Migrations.slaSweeper },
        Migration(id: 17, name: "calendar_schedules") { kind in
            // 国务院放假安排 loaded by an administrator: one official schedule per year, in the data files' CSV format.
            // A year with a row here is no longer provisional (临时日历).
            [
                """
                CREATE TABLE calendar_schedules (
                    year INTEGER PRIMARY KEY,
                    csv TEXT NOT NULL,
                    loaded_at BIGINT NOT NULL,
                    loaded_by TEXT NOT NULL
                )
                """
            ] + kind.bumpsReferenceVersion(["calendar_schedules"])
        },
        Migration(id: 18, name: "coordination_queue") { _ in Migrations.coordinationQueue },
        Migration(id: 19, name: "webhooks") { kind in Migrations.webhooks(kind) },
        Migration(id: 20, name: "callback_supervision") { _ in
            // 督办关注: orders a callback rule flagged for the supervisors, as a partial index that holds only them, so the
            // board's count and list are an index range however many orders are stored. No stored order has a flag yet.
            ["ALTER TABLE work_orders ADD COLUMN supervision_flagged INTEGER NOT NULL DEFAULT 0",
             "CREATE INDEX work_orders_supervision_flagged ON work_orders (status, number) WHERE supervision_flagged = 1"]
        },
        Migration(id: 22, name: "unit_leader_review") { _ in
            // 单位领导审核: a unit whose staff's replies wait for one of its admins before they reach the centre. Off for
            // every stored unit; `units` already bumps the reference data's version.
            ["ALTER TABLE units ADD COLUMN leader_review INTEGER NOT NULL DEFAULT 0"]
        },
        Migration(id: 23, name: "measures") { kind in Migrations.measures(kind) },
        Migration(id: 25, name: "hot_topics") { kind in Migrations.hotTopics(kind) },
        Migration(id: 26, name: "order_places") { kind in Migrations.orderPlaces(kind) },
        Migration(id: 27, name: "reports") { kind in Migrations.reports(kind) },
        Migration(id: 28, name: "specialist_stationings") { kind in
            // 驻场安排: a department's policy specialist stationed in the centre from one China day to another (NULL: still
            // there), as day ordinals; few rows, read whole.
            [
                """
                CREATE TABLE specialist_stationings (
                    id \(kind.serialKey),
                    unit_id TEXT NOT NULL,
                    from_day INTEGER NOT NULL,
                    to_day INTEGER,
                    note TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    created_by TEXT NOT NULL
                )
                """
            ]
        },
        Migration(id: 29, name: "open_overdue_index") { _ in
            // 超期未办结 for the measures, the ranking and reports: the open orders (已派单, 办理中) by acceptance time with
            // their deadline and every key they are counted under, so that counting a period's open overdue orders reads
            // only this small index (the open orders), never the table, however many finished orders are stored.
            ["CREATE INDEX work_orders_open_overdue ON work_orders (created_at, due_at, lead_unit, category_code, district, channel, kind) "
                + "WHERE status IN ('dispatched', 'handling')"]
        },
        Migration(id: 30, name: "open_orders_index") { _ in
            // The lists of open orders filtered by kind, lane, channel, category, district or period (工单列表的组合筛选):
            // the open orders alone, by status and number, carrying every column those filters and their sorts read, so that
            // a list and its total are an index range of the open orders, however many finished orders are stored.
            ["CREATE INDEX work_orders_open ON work_orders (status, number, kind, channel, lanes, category_code, district, lead_unit, created_at, due_at) "
                + "WHERE status IN (\(WorkOrderRow.openStatusList))"]
        },
        Migration(id: 31, name: "citizen_portal") { kind in Migrations.citizenPortal(kind) },
        Migration(id: 32, name: "channels") { kind in Migrations.channels(kind) },
        Migration(id: 33, name: "call_centre") { kind in Migrations.callCentre(kind) },
        Migration(id: 34, name: "scripts_and_cases") { kind in Migrations.scriptsAndCases(kind) },
        Migration(id: 35, name: "quality_inspection") { kind in Migrations.quality(kind) },
        Migration(id: 36, name: "schedules") { kind in Migrations.schedules(kind) },
        Migration(id: 37, name: "expert_seats") { kind in Migrations.expertSeats(kind) },
        Migration(id: 38, name: "checkpoints") { kind in Migrations.checkpoints(kind) },
        Migration(id: 39, name: "rate_buckets") { _ in Migrations.rateBuckets },
    ]
}
