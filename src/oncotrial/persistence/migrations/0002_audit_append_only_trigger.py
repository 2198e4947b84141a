"""PostgreSQL: reject UPDATE and DELETE on audit rows from any client, not only the ORM.

SQLite has no equivalent guard here (the ORM refuses, and ``verify_audit_chain``
detects raw edits). TRUNCATE is left to the database owner: test databases are
emptied with it between transactional tests.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

CREATE = """
CREATE OR REPLACE FUNCTION oncotrial_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'audit rows are append-only: ' || TG_OP || ' refused on ' || TG_TABLE_NAME,
        ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql
"""

TRIGGER = """
CREATE TRIGGER persistence_auditevent_append_only
    BEFORE UPDATE OR DELETE ON persistence_auditevent
    FOR EACH ROW EXECUTE FUNCTION oncotrial_audit_append_only()
"""

DROP = (
    "DROP TRIGGER IF EXISTS persistence_auditevent_append_only ON persistence_auditevent",
    "DROP FUNCTION IF EXISTS oncotrial_audit_append_only()",
)


def create_trigger(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)
        schema_editor.execute(TRIGGER)


def drop_trigger(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("persistence", "0001_initial")]
    operations = [migrations.RunPython(create_trigger, drop_trigger)]
