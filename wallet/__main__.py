"""Entry point for ``python -m wallet`` (see :mod:`wallet.cli`)."""

import sys

from .cli import main

__all__: list[str] = []

sys.exit(main())
