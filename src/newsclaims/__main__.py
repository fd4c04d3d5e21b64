"""``python -m newsclaims`` is the ``newsclaims`` command."""

import sys

from newsclaims.cli.main import main

sys.exit(main())
