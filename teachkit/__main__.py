"""``python -m teachkit``: the same as the ``teachkit`` command."""

from teachkit.cli import main

raise SystemExit(main())
