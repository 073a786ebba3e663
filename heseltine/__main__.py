"""`python -m heseltine`, and the `heseltine` command of an installed site.

The same as manage.py, for a site installed from its wheel, with no checkout.
"""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heseltine.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["heseltine", *sys.argv[1:]])


if __name__ == "__main__":
    main()
