from django.contrib.auth.models import Group, Permission

EDITORS_GROUP = "Editors"
# The apps whose content editors look after, with every permission on them.
EDITED_APPS = ("institute", "blog", "partnerships", "taggit")


def editors_group_ensure() -> Group:
    """Return the Editors group, with every permission on the site's content."""
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=EDITED_APPS)
    )
    return group
