#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heseltine.settings")
    # Without a secret key this is a developer's machine, not a server: run
    # management commands with development defaults. The web server (wsgi.py)
    # never does this, so a server missing its key still refuses to start.
    if "DJANGO_SECRET_KEY" not in os.environ:
        os.environ.setdefault("DJANGO_DEBUG", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
