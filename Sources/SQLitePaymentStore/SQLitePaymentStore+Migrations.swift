import GRDB

extension SQLitePaymentStore {
    /// Named, versioned migrations: applied in order, each once, recorded in the database.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: payments, journal, idempotency keys") { db in
            // A payment's record is kept whole as JSON (RailCoding); the columns beside it are what
            // queries filter, order and lease on. Keyed by text, the tables are WITHOUT ROWID: one
            // b-tree fewer to write per creation.
            try db.execute(sql: """
                CREATE TABLE payment (
                    id TEXT PRIMARY KEY NOT NULL,
                    request_hash TEXT NOT NULL,
                    state TEXT NOT NULL,
                    rail TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    next_action_at INTEGER,
                    lease_owner TEXT,
                    lease_expires_at INTEGER,
                    record TEXT NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX payment_by_creation ON payment (created_at DESC, id DESC);
                CREATE INDEX payment_by_due ON payment (next_action_at) WHERE next_action_at IS NOT NULL;
                CREATE TABLE journal (
                    sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                    payment_id TEXT NOT NULL REFERENCES payment (id),
                    recorded_at INTEGER NOT NULL,
                    attempt INTEGER NOT NULL,
                    rail TEXT NOT NULL,
                    event TEXT NOT NULL
                );
                CREATE INDEX journal_by_payment ON journal (payment_id, sequence);
                CREATE TABLE idempotency_key (
                    key TEXT PRIMARY KEY NOT NULL,
                    request_hash TEXT NOT NULL,
                    payment_id TEXT NOT NULL REFERENCES payment (id),
                    created_at INTEGER NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v2: quotes") { db in
            try db.execute(sql: """
                CREATE TABLE quote (
                    id TEXT PRIMARY KEY NOT NULL,
                    rail TEXT NOT NULL,
                    expires_at INTEGER NOT NULL,
                    record TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("v3: rail references, API keys") { db in
            // A bank's callback or a chain's event names the payment by the rail's reference.
            try db.execute(sql: """
                ALTER TABLE payment ADD COLUMN rail_reference TEXT;
                UPDATE payment SET rail_reference = json_extract(record, '$.submission.reference.kind') || ':'
                    || json_extract(record, '$.submission.reference.value') WHERE json_extract(record, '$.submission') IS NOT NULL;
                CREATE INDEX payment_by_rail_reference ON payment (rail, rail_reference) WHERE rail_reference IS NOT NULL;
                CREATE TABLE api_key (
                    id TEXT PRIMARY KEY NOT NULL,
                    secret_hash TEXT NOT NULL,
                    scope TEXT NOT NULL,
                    label TEXT,
                    created_at INTEGER NOT NULL,
                    revoked_at INTEGER
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v4: webhook endpoints and outbox") { db in
            // The outbox: a delivery row per enabled endpoint is written with each journal entry.
            try db.execute(sql: """
                CREATE TABLE webhook_endpoint (
                    id TEXT PRIMARY KEY NOT NULL,
                    enabled INTEGER NOT NULL,
                    created_at INTEGER NOT NULL,
                    record TEXT NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE webhook_delivery (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    endpoint_id TEXT NOT NULL,
                    journal_sequence INTEGER NOT NULL REFERENCES journal (sequence),
                    payment_id TEXT NOT NULL,
                    state TEXT NOT NULL,
                    attempts INTEGER NOT NULL,
                    next_attempt_at INTEGER,
                    last_status INTEGER,
                    last_error TEXT,
                    lease_owner TEXT,
                    lease_expires_at INTEGER
                );
                CREATE INDEX webhook_delivery_by_due ON webhook_delivery (next_attempt_at) WHERE state = 'pending';
                CREATE INDEX webhook_delivery_by_payment ON webhook_delivery (payment_id, journal_sequence);
                """)
        }
        migrator.registerMigration("v5: payment record versions") { db in
            // Optimistic concurrency: every write names the version it read.
            try db.execute(sql: """
                ALTER TABLE payment ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
                UPDATE payment SET record = json_set(record, '$.version', 0);
                """)
        }
        return migrator
    }
}
