"""The editorial roles, as groups of permissions.

`ensure_roles()` is idempotent: the data migration calls it, so does every
`migrate` (post_migrate, for permissions of models added later), and so can
tests.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

CONTRIBUTORS = "Contributors"
EDITORS = "Editors"
EDITOR_APPS = ("blog", "institute", "partnerships", "taggit")
CONTRIBUTOR_PERMISSIONS = [
    ("blog", "add_post"),
    ("blog", "change_post"),
    ("blog", "view_post"),
    ("blog", "add_postauthor"),
    ("blog", "change_postauthor"),
    ("blog", "delete_postauthor"),
    ("blog", "view_postauthor"),
    ("institute", "view_person"),
    ("institute", "view_researchtheme"),
]
# Editors also manage contributors' accounts; heseltine.users keeps them to
# those (no superusers, no editors, no other groups or permissions).
EDITOR_ACCOUNT_PERMISSIONS = [
    ("auth", "view_user"),
    ("auth", "add_user"),
    ("auth", "change_user"),
]


def ensure_roles(apps=global_apps):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for label in (*EDITOR_APPS, "auth"):
        try:
            app_config = apps.get_app_config(label)
        except LookupError:
            continue
        if apps is not global_apps:
            # Historical app configs have no models module; create_permissions
            # skips those unless told otherwise.
            app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)

    def permissions(pairs):
        wanted = Permission.objects.none()
        for app_label, codename in pairs:
            wanted |= Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            )
        return wanted

    contributors, _ = Group.objects.get_or_create(name=CONTRIBUTORS)
    contributors.permissions.set(permissions(CONTRIBUTOR_PERMISSIONS))

    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=EDITOR_APPS),
        *permissions(EDITOR_ACCOUNT_PERMISSIONS),
    )
