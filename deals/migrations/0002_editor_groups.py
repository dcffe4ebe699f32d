"""The Editors and Publishers groups with exactly the permissions each needs."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_MODELS = ["company", "deal", "source"]
INLINE_MODELS = ["dealparty", "tranche", "citation", "dealrelation"]

EDITORS = [f"{action}_{model}" for model in CONTENT_MODELS for action in ("add", "change", "view")] + [
    f"{action}_{model}" for model in INLINE_MODELS for action in ("add", "change", "view", "delete")
]
PUBLISHERS = ["publish_deal", "delete_deal"]


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; this one needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Editors", EDITORS), ("Publishers", PUBLISHERS)):
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(Permission.objects.filter(content_type__app_label="deals", codename__in=codenames))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Publishers"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("deals", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
