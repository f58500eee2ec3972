"""Make the audit log append-only in the database itself (PostgreSQL).

A trigger refuses any DELETE of an audit entry and any UPDATE except the one Django makes when
a user account is deleted (``actor`` is set to NULL; the entry keeps ``actor_email``). This
holds for the portal, the admin, the API, the shell and any SQL client using the portal's
database role. TRUNCATE is left alone so test databases can be flushed; a council that wants
more runs the portal as a role without TRUNCATE or ownership (README, Security and operations).

SQLite (the demo database) has no equivalent that leaves test flushes working: skipped there.
"""

from django.db import migrations

FORWARD = r"""
CREATE OR REPLACE FUNCTION pep_audit_log_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.actor_id IS NULL
       AND OLD.actor_id IS NOT NULL
       AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
        RETURN NEW;  -- the account that made the change was deleted: keep the entry
    END IF;
    RAISE EXCEPTION 'The audit log is append-only: % of entry % refused', TG_OP, OLD.id
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS pep_audit_log_append_only ON auditlog_logentry;
CREATE TRIGGER pep_audit_log_append_only
    BEFORE UPDATE OR DELETE ON auditlog_logentry
    FOR EACH ROW EXECUTE FUNCTION pep_audit_log_append_only();
"""

BACKWARD = r"""
DROP TRIGGER IF EXISTS pep_audit_log_append_only ON auditlog_logentry;
DROP FUNCTION IF EXISTS pep_audit_log_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("auditlog", "0017_add_actor_email"),
        ("pep_portal", "0004_snapshot_figures"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
