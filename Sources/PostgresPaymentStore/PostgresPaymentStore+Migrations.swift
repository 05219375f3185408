import Logging
import PostgresNIO

extension PostgresPaymentStore {
    /// Named, versioned migrations, applied in order, each once, under an advisory lock so several
    /// routers starting together migrate once.
    static let migrations: [(name: String, sql: [String])] = [
        ("v1: payments, journal, idempotency keys", [
            """
            CREATE TABLE payment (
                id TEXT PRIMARY KEY,
                request_hash TEXT NOT NULL,
                state TEXT NOT NULL,
                rail TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                next_action_at BIGINT,
                lease_owner TEXT,
                lease_expires_at BIGINT,
                record TEXT NOT NULL
            )
            """,
            "CREATE INDEX payment_by_creation ON payment (created_at DESC, id DESC)",
            "CREATE INDEX payment_by_due ON payment (next_action_at) WHERE next_action_at IS NOT NULL",
            """
            CREATE TABLE journal (
                sequence BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                payment_id TEXT NOT NULL REFERENCES payment (id),
                recorded_at BIGINT NOT NULL,
                attempt INTEGER NOT NULL,
                rail TEXT NOT NULL,
                event TEXT NOT NULL
            )
            """,
            "CREATE INDEX journal_by_payment ON journal (payment_id, sequence)",
            """
            CREATE TABLE idempotency_key (
                key TEXT PRIMARY KEY,
                request_hash TEXT NOT NULL,
                payment_id TEXT NOT NULL REFERENCES payment (id),
                created_at BIGINT NOT NULL
            )
            """,
        ]),
        ("v2: quotes", [
            "CREATE TABLE quote (id TEXT PRIMARY KEY, rail TEXT NOT NULL, expires_at BIGINT NOT NULL, record TEXT NOT NULL)",
        ]),
        ("v3: rail references, API keys", [
            // A bank's callback or a chain's event names the payment by the rail's reference.
            "ALTER TABLE payment ADD COLUMN rail_reference TEXT",
            """
            UPDATE payment SET rail_reference = (record::jsonb #>> '{submission,reference,kind}') || ':' || (record::jsonb #>> '{submission,reference,value}')
            WHERE record::jsonb ? 'submission'
            """,
            "CREATE INDEX payment_by_rail_reference ON payment (rail, rail_reference) WHERE rail_reference IS NOT NULL",
            """
            CREATE TABLE api_key (
                id TEXT PRIMARY KEY,
                secret_hash TEXT NOT NULL,
                scope TEXT NOT NULL,
                label TEXT,
                created_at BIGINT NOT NULL,
                revoked_at BIGINT
            )
            """,
        ]),
        ("v4: webhook endpoints and outbox", [
            "CREATE TABLE webhook_endpoint (id TEXT PRIMARY KEY, enabled BOOLEAN NOT NULL, created_at BIGINT NOT NULL, record TEXT NOT NULL)",
            // The outbox: a delivery row per enabled endpoint is written with each journal entry.
            """
            CREATE TABLE webhook_delivery (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                endpoint_id TEXT NOT NULL,
                journal_sequence BIGINT NOT NULL REFERENCES journal (sequence),
                payment_id TEXT NOT NULL,
                state TEXT NOT NULL,
                attempts INTEGER NOT NULL,
                next_attempt_at BIGINT,
                last_status INTEGER,
                last_error TEXT,
                lease_owner TEXT,
                lease_expires_at BIGINT
            )
            """,
            "CREATE INDEX webhook_delivery_by_due ON webhook_delivery (next_attempt_at) WHERE state = 'pending'",
            "CREATE INDEX webhook_delivery_by_payment ON webhook_delivery (payment_id, journal_sequence)",
        ]),
        ("v5: payment record versions", [
            // Optimistic concurrency: every write names the version it read.
            "ALTER TABLE payment ADD COLUMN version INTEGER NOT NULL DEFAULT 0",
            "UPDATE payment SET record = jsonb_set(record::jsonb, '{version}', '0')::text",
        ]),
    ]

    /// Applies the migrations this database lacks.
    public func migrate() async throws {
        try await transaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(7230419)", logger: logger)
            try await connection.query("CREATE TABLE IF NOT EXISTS schema_migration (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
                                       logger: logger)
            var applied = Set<String>()
            for try await name in try await connection.query("SELECT name FROM schema_migration", logger: logger).decode(String.self) {
                applied.insert(name)
            }
            for migration in Self.migrations where !applied.contains(migration.name) {
                for statement in migration.sql {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("INSERT INTO schema_migration (name) VALUES (\(migration.name))", logger: logger)
            }
        }
    }

    /// The migrations applied, in order of name.
    public func appliedMigrations() async throws -> [String] {
        var names = [String]()
        for try await name in try await client.query("SELECT name FROM schema_migration ORDER BY name", logger: logger).decode(String.self) {
            names.append(name)
        }
        return names
    }
}
