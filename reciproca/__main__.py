"""The `reciproca` console script: Django's management commands with Reciproca's settings.

`reciproca charter load FILE`, `reciproca charter show`, `reciproca charter coverage`,
`reciproca load_reference`, `reciproca load_demo`, and every Django command.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv if argv is not None else sys.argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
