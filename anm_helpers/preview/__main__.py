"""``python -m anm_helpers.preview -- 2024-03``: the same command as ``python -m anm_helpers.preview.app``."""
import sys

from anm_helpers.preview.app import main

sys.exit(main())
