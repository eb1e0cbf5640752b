"""The clinic's roles as Django groups (API_CONTRACT.md "Auth and roles")."""

from django.db import migrations

ROLES = ("clinic_staff", "physician", "quality")


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("blocks", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
