"""PostgreSQL: the MRN prefix search (lower(mrn) LIKE 'prefix%') read from an index.

The unique index on lower(mrn) answers equality, but PostgreSQL reads a LIKE prefix from a
b-tree only under the C collation or with a pattern operator class; this twin in
text_pattern_ops serves the patient search whatever the database's collation. SQLite has no
operator classes (blocks.views.patients.mrn_starting_with asks it a range instead), so
there this migration does nothing; no model state changes either way.
"""

from django.db import migrations

INDEX = "patient_mrn_prefix"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "blocks_patient" '
            '((LOWER("mrn")) text_pattern_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):
    dependencies = [("blocks", "0012_entered_in_error_indexes")]

    operations = [migrations.RunPython(create, drop)]
