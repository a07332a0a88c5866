extension Migrations {
    /// Migration 26: where each order is, as columns the map (地图) aggregates over — the street as the order recorded
    /// it and its coordinates —, filled from the stored documents, with two covering indexes: every order of a period
    /// by place, status and category, and the orders with coordinates alone.
    static func orderPlaces(_ kind: DatabaseKind) -> [String] {
        let fromDoc =
            switch kind {
            case .sqlite:
                """
                UPDATE work_orders SET street = json_extract(doc, '$.location.street'),
                    latitude = json_extract(doc, '$.location.latitude'), longitude = json_extract(doc, '$.location.longitude')
                WHERE json_extract(doc, '$.location.street') IS NOT NULL OR json_extract(doc, '$.location.latitude') IS NOT NULL
                """
            case .postgres:
                """
                UPDATE work_orders SET street = doc::jsonb #>> '{location,street}',
                    latitude = (doc::jsonb #>> '{location,latitude}')::double precision,
                    longitude = (doc::jsonb #>> '{location,longitude}')::double precision
                WHERE doc::jsonb #>> '{location,street}' IS NOT NULL OR doc::jsonb #>> '{location,latitude}' IS NOT NULL
                """
            }
        return [
            "ALTER TABLE work_orders ADD COLUMN street TEXT",
            "ALTER TABLE work_orders ADD COLUMN latitude DOUBLE PRECISION",
            "ALTER TABLE work_orders ADD COLUMN longitude DOUBLE PRECISION",
            fromDoc,
            "CREATE INDEX work_orders_place ON work_orders (created_at, district, street, status, category_code)",
            "CREATE INDEX work_orders_point ON work_orders (created_at, latitude, longitude, status, category_code, number) WHERE latitude IS NOT NULL",
        ]
    }
}
