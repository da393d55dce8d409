#!/usr/bin/env python
"""Django's command-line utility; `reciproca` is the same thing, installed as a console script."""

import sys

from reciproca.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
