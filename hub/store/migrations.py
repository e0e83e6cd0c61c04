"""The schema, as ordered migrations with each backend's SQL side by side.

Both dialects must describe the same tables; they differ only in column types (SQLite keeps
timestamps as ISO 8601 text in UTC, JSON as text, bytes as BLOB). A released migration is never
edited: change the schema by appending one. Each backend applies every migration it has not yet
recorded in ``schema_migrations``, once, in its own transaction, under a lock that serialises
hub processes opening the same database.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    sqlite: tuple[str, ...]
    postgres: tuple[str, ...]


# The ledger itself: created if missing by every open, under the same lock, never recorded.
SCHEMA_MIGRATIONS_SQLITE = """CREATE TABLE IF NOT EXISTS schema_migrations (
    version     INTEGER PRIMARY KEY,
    applied_at  TEXT NOT NULL
)"""
SCHEMA_MIGRATIONS_POSTGRES = """CREATE TABLE IF NOT EXISTS schema_migrations (
    version     INTEGER PRIMARY KEY,
    applied_at  TIMESTAMPTZ NOT NULL
)"""

# registry_version is a one-row table, not a SEQUENCE: nextval is not transactional, so a poller
# could read the new number before the connector row commits, and then miss the change for good.
MIGRATIONS = (
    Migration(
        version=1,
        sqlite=(
            """CREATE TABLE api_clients (
                id          TEXT PRIMARY KEY,
                name        TEXT NOT NULL,
                role        TEXT NOT NULL,
                key_hash    BLOB NOT NULL UNIQUE,
                created_at  TEXT NOT NULL,
                revoked_at  TEXT
            )""",
            """CREATE TABLE connectors (
                department  TEXT PRIMARY KEY,
                manifest    TEXT NOT NULL,
                status      TEXT NOT NULL,
                version     BIGINT NOT NULL,
                updated_at  TEXT NOT NULL
            )""",
            """CREATE TABLE registry_version (
                id          INTEGER PRIMARY KEY CHECK (id = 1),
                version     BIGINT NOT NULL
            )""",
            "INSERT INTO registry_version (id, version) VALUES (1, 0)",
        ),
        postgres=(
            """CREATE TABLE api_clients (
                id          TEXT PRIMARY KEY,
                name        TEXT NOT NULL,
                role        TEXT NOT NULL,
                key_hash    BYTEA NOT NULL UNIQUE,
                created_at  TIMESTAMPTZ NOT NULL,
                revoked_at  TIMESTAMPTZ
            )""",
            """CREATE TABLE connectors (
                department  TEXT PRIMARY KEY,
                manifest    JSONB NOT NULL,
                status      TEXT NOT NULL,
                version     BIGINT NOT NULL,
                updated_at  TIMESTAMPTZ NOT NULL
            )""",
            """CREATE TABLE registry_version (
                id          INTEGER PRIMARY KEY CHECK (id = 1),
                version     BIGINT NOT NULL
            )""",
            "INSERT INTO registry_version (id, version) VALUES (1, 0)",
        ),
    ),
    # Consents. grantee is an api_clients id, without a foreign key: SQLite enforces none unless
    # asked per connection, and both backends must accept and refuse the same rows. The scope
    # index serves the per-request lookup (grantee, purpose, subjects); the subject index serves
    # a citizen listing their consents.
    Migration(
        version=2,
        sqlite=(
            """CREATE TABLE consents (
                id           TEXT PRIMARY KEY,
                subject      TEXT NOT NULL,
                grantee      TEXT NOT NULL,
                purpose      TEXT NOT NULL,
                categories   TEXT NOT NULL,
                valid_from   TEXT NOT NULL,
                valid_until  TEXT NOT NULL,
                created_at   TEXT NOT NULL,
                revoked_at   TEXT,
                CHECK (valid_until > valid_from)
            )""",
            "CREATE INDEX consents_scope ON consents (grantee, purpose, subject)",
            "CREATE INDEX consents_subject ON consents (subject, created_at)",
        ),
        postgres=(
            """CREATE TABLE consents (
                id           TEXT PRIMARY KEY,
                subject      TEXT NOT NULL,
                grantee      TEXT NOT NULL,
                purpose      TEXT NOT NULL,
                categories   TEXT[] NOT NULL,
                valid_from   TIMESTAMPTZ NOT NULL,
                valid_until  TIMESTAMPTZ NOT NULL,
                created_at   TIMESTAMPTZ NOT NULL,
                revoked_at   TIMESTAMPTZ,
                CHECK (valid_until > valid_from)
            )""",
            "CREATE INDEX consents_scope ON consents (grantee, purpose, subject)",
            "CREATE INDEX consents_subject ON consents (subject, created_at)",
        ),
    ),
    # The audit log, queue then sequence as in Certificate Transparency: appends only insert
    # (leaf_index NULL), and one sequencer at a time gives the queued entries their indices in id
    # order. Searches see sequenced entries only, so their indexes are partial: an append, the
    # hot path, writes none of them. audit_tags has no foreign key, as consents has none: a tag
    # is written in the transaction that writes its entry, neither is ever deleted, and the check
    # would cost about a third of the append rate. audit_nodes holds perfect-subtree hashes keyed
    # (level, idx), the leaf hashes at level 0; audit_checkpoints the signed tree heads.
    Migration(
        version=3,
        sqlite=(
            """CREATE TABLE audit_entries (
                id           INTEGER PRIMARY KEY,
                leaf_index   BIGINT UNIQUE,
                body         BLOB NOT NULL,
                time         TEXT NOT NULL,
                request_id   TEXT NOT NULL,
                subject      TEXT NOT NULL,
                client_id    TEXT NOT NULL,
                purpose      TEXT NOT NULL
            )""",
            """CREATE TABLE audit_tags (
                entry_id     BIGINT NOT NULL,
                tag          TEXT NOT NULL,
                PRIMARY KEY (entry_id, tag)
            )""",
            """CREATE TABLE audit_nodes (
                level        INTEGER NOT NULL,
                idx          BIGINT NOT NULL,
                hash         BLOB NOT NULL,
                PRIMARY KEY (level, idx)
            )""",
            """CREATE TABLE audit_checkpoints (
                size         BIGINT PRIMARY KEY,
                root         BLOB NOT NULL,
                note         TEXT NOT NULL,
                time         TEXT NOT NULL
            )""",
            "CREATE INDEX audit_entries_queue ON audit_entries (id) WHERE leaf_index IS NULL",
            "CREATE INDEX audit_entries_subject ON audit_entries (subject, leaf_index)"
            " WHERE leaf_index IS NOT NULL",
            "CREATE INDEX audit_entries_client ON audit_entries (client_id, leaf_index)"
            " WHERE leaf_index IS NOT NULL",
            "CREATE INDEX audit_entries_purpose ON audit_entries (purpose, leaf_index)"
            " WHERE leaf_index IS NOT NULL",
            "CREATE INDEX audit_entries_time ON audit_entries (time) WHERE leaf_index IS NOT NULL",
            "CREATE INDEX audit_tags_tag ON audit_tags (tag, entry_id)",
        ),
        postgres=(
            """CREATE TABLE audit_entries (
                id           BIGSERIAL PRIMARY KEY,
                leaf_index   BIGINT UNIQUE,
                body         BYTEA NOT NULL,
                time         TIMESTAMPTZ NOT NULL,
                request_id   TEXT NOT NULL,
                subject      TEXT NOT NULL,
                client_id    TEXT NOT NULL,
                purpose      TEXT NOT NULL
            )""",
            """CREATE TABLE audit_tags (
                entry_id     BIGINT NOT NULL,
                tag          TEXT NOT NULL,
                PRIMARY KEY (entry_id, tag)
            )""",
            """CREATE TABLE audit_nodes (
                level        INTEGER NOT NULL,
                idx          BIGINT NOT NULL,
                hash         BYTEA NOT NULL,
                PRIMARY KEY (level, idx)
            )""",
            """CREATE TABLE audit_checkpoints (
                size         BIGINT PRIMARY KEY,
                root         BYTEA NOT NULL,
                note         TEXT NOT NULL,
                time         TIMESTAMPTZ NOT NULL
            )""",
            "CREATE INDEX audit_entries_queue ON audit_entries (id) WHERE leaf_index IS NULL",
            "CREATE INDEX audit_entries_subject ON audit_entries (subject, leaf_index)"
            " WHERE leaf_index IS NOT NULL",
            "CREATE INDEX audit_entries_client ON audit_entries (client_id, leaf_index)"
            " WHERE leaf_index IS NOT NULL",
            "CREATE INDEX audit_entries_purpose ON audit_entries (purpose, leaf_index)"
            " WHERE leaf_index IS NOT NULL",
            "CREATE INDEX audit_entries_time ON audit_entries (time) WHERE leaf_index IS NOT NULL",
            "CREATE INDEX audit_tags_tag ON audit_tags (tag, entry_id)",
        ),
    ),
    # A citizen's client is bound to the resident ID whose audit entries it may read.
    Migration(
        version=4,
        sqlite=("ALTER TABLE api_clients ADD COLUMN subject TEXT",),
        postgres=("ALTER TABLE api_clients ADD COLUMN subject TEXT",),
    ),
    # A department's client is bound to the department whose connector it may register.
    Migration(
        version=5,
        sqlite=("ALTER TABLE api_clients ADD COLUMN department TEXT",),
        postgres=("ALTER TABLE api_clients ADD COLUMN department TEXT",),
    ),
    # Tags by set: entries of one kind carry the same dozen tags, so an entry now names its set
    # (one column) instead of writing a row per tag; appends write a tenth of the rows. A set's
    # ``tags`` is its tags sorted and joined by newlines, unique. Existing tags move over.
    Migration(
        version=6,
        sqlite=(
            """CREATE TABLE audit_tag_sets (
                id           INTEGER PRIMARY KEY,
                tags         TEXT NOT NULL UNIQUE
            )""",
            """CREATE TABLE audit_set_tags (
                set_id       BIGINT NOT NULL,
                tag          TEXT NOT NULL,
                PRIMARY KEY (tag, set_id)
            )""",
            "ALTER TABLE audit_entries ADD COLUMN tag_set BIGINT",
            """CREATE TEMPORARY TABLE entry_tag_keys AS
                SELECT entry_id, group_concat(tag, char(10)) AS tags
                FROM (SELECT entry_id, tag FROM audit_tags ORDER BY entry_id, tag)
                GROUP BY entry_id""",
            "CREATE INDEX temp.entry_tag_keys_entry ON entry_tag_keys (entry_id)",
            "INSERT INTO audit_tag_sets (tags) SELECT DISTINCT tags FROM entry_tag_keys",
            """UPDATE audit_entries SET tag_set = (
                SELECT s.id FROM entry_tag_keys k JOIN audit_tag_sets s ON s.tags = k.tags
                WHERE k.entry_id = audit_entries.id)""",
            """INSERT INTO audit_set_tags (set_id, tag)
                SELECT DISTINCT e.tag_set, t.tag FROM audit_tags t
                JOIN audit_entries e ON e.id = t.entry_id""",
            "DROP TABLE entry_tag_keys",
            "DROP TABLE audit_tags",
            "CREATE INDEX audit_entries_tag_set ON audit_entries (tag_set, leaf_index)"
            " WHERE leaf_index IS NOT NULL",
        ),
        postgres=(
            """CREATE TABLE audit_tag_sets (
                id           BIGSERIAL PRIMARY KEY,
                tags         TEXT NOT NULL UNIQUE
            )""",
            """CREATE TABLE audit_set_tags (
                set_id       BIGINT NOT NULL,
                tag          TEXT NOT NULL,
                PRIMARY KEY (tag, set_id)
            )""",
            "ALTER TABLE audit_entries ADD COLUMN tag_set BIGINT",
            """CREATE TEMPORARY TABLE entry_tag_keys AS
                SELECT entry_id, string_agg(tag, E'\\n' ORDER BY tag) AS tags
                FROM audit_tags GROUP BY entry_id""",
            "CREATE INDEX ON entry_tag_keys (entry_id)",
            "INSERT INTO audit_tag_sets (tags) SELECT DISTINCT tags FROM entry_tag_keys",
            """UPDATE audit_entries e SET tag_set = s.id
                FROM entry_tag_keys k JOIN audit_tag_sets s ON s.tags = k.tags
                WHERE k.entry_id = e.id""",
            """INSERT INTO audit_set_tags (set_id, tag)
                SELECT DISTINCT e.tag_set, t.tag FROM audit_tags t
                JOIN audit_entries e ON e.id = t.entry_id""",
            "DROP TABLE entry_tag_keys",
            "DROP TABLE audit_tags",
            "CREATE INDEX audit_entries_tag_set ON audit_entries (tag_set, leaf_index)"
            " WHERE leaf_index IS NOT NULL",
        ),
    ),
    # A token every change to a consent replaces, in the change's own transaction: a hub process
    # keeps the consents it read for as long as the token stands. A trigger, not the store's
    # code, so that every writer replaces it (a hub of an older release during an upgrade, an
    # operator's SQL); a random value, not a count, so that a database restored from a backup or
    # a replica that lost commits cannot come back to a value a hub already holds.
    Migration(
        version=7,
        sqlite=(
            """CREATE TABLE consents_version (
                id          INTEGER PRIMARY KEY CHECK (id = 1),
                version     BIGINT NOT NULL
            )""",
            "INSERT INTO consents_version (id, version) VALUES (1, random())",
            *(
                f"""CREATE TRIGGER consents_{change}_version AFTER {change} ON consents
                BEGIN UPDATE consents_version SET version = random(); END"""
                for change in ("INSERT", "UPDATE", "DELETE")
            ),
        ),
        postgres=(
            """CREATE TABLE consents_version (
                id          INTEGER PRIMARY KEY CHECK (id = 1),
                version     BIGINT NOT NULL
            )""",
            "INSERT INTO consents_version (id, version) VALUES (1, (random() * 1e18)::bigint)",
            """CREATE FUNCTION consents_changed() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE consents_version SET version = (random() * 1e18)::bigint;
                RETURN NULL;
            END $$""",
            """CREATE TRIGGER consents_changed AFTER INSERT OR UPDATE OR DELETE ON consents
                FOR EACH ROW EXECUTE FUNCTION consents_changed()""",
        ),
    ),
)
