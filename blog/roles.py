"""The editorial roles, as groups of permissions: the one place they are defined.

`ensure_roles()` is idempotent: every `migrate` calls it (post_migrate, for
permissions of models added later), and so can commands and tests.
"""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

CONTRIBUTORS = "Contributors"
EDITORS = "Editors"
EDITOR_APPS = ("blog", "institute", "partnerships", "work", "taggit")
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
    # Drafts of the institute's work; only editors publish them (work.admin).
    *(
        ("work", f"{action}_{model}")
        for model in ("project", "publication", "event")
        for action in ("add", "change", "view")
    ),
    ("work", "add_publicationauthor"),
    ("work", "change_publicationauthor"),
    ("work", "delete_publicationauthor"),
    ("work", "view_publicationauthor"),
    # To choose a project's partners (the admin's autocomplete asks for it).
    ("partnerships", "view_organisation"),
]
# Editors also manage contributors' accounts; heseltine.users keeps them to
# those (no superusers, no editors, no other groups or permissions).
EDITOR_ACCOUNT_PERMISSIONS = [
    ("auth", "view_user"),
    ("auth", "add_user"),
    ("auth", "change_user"),
]


def ensure_roles():
    """Make the Contributors and Editors groups as they should be; return them."""
    for label in (*EDITOR_APPS, "auth"):
        create_permissions(apps.get_app_config(label), verbosity=0)

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
    return {CONTRIBUTORS: contributors, EDITORS: editors}


def editors_group():
    """The Editors group, with every permission on the site's content."""
    return ensure_roles()[EDITORS]
