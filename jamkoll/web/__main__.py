"""``python -m jamkoll.web <command>``: Django's management commands for the web app."""

from __future__ import annotations

import sys

from jamkoll.web import SETTINGS_MODULE


def main() -> None:
    import os

    from django.core.management import execute_from_command_line

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
