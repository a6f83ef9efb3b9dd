"""Creates the staff roles (groups) with their permissions: roles.py says which."""

from django.db import migrations


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    from intake.clinician.roles import roles_sync

    alias = schema_editor.connection.alias
    # Permissions are normally created after the last migration (post_migrate); the roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=alias)
        app_config.models_module = None
    roles_sync(apps, using=alias)


def remove_roles(apps, schema_editor):
    from intake.clinician.roles import ROLES

    apps.get_model("auth", "Group").objects.using(schema_editor.connection.alias).filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("clinician", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("intake", "0002_content_pack"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
