#!/usr/bin/env python
"""Django's command-line utility for administrative tasks.

It assumes nothing about the machine: settings come from the environment and
`.env` (or DJANGO_ENV_FILE), and with neither saying DJANGO_DEBUG=true, debug is
off. `make run`, `make demo` and `make test` set what a developer needs.
"""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heseltine.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
