"""``python -m engine`` is the same as the ``mockinterview`` command."""

import sys

from engine.cli.main import main

sys.exit(main())
