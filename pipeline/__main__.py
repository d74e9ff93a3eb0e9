"""``python -m pipeline`` is the ``leaflets`` command."""

import sys

from .cli import main

sys.exit(main())
