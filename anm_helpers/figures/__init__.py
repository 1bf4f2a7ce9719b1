"""Every figure of a month and its checks: metrics, the context sections read, the
quality notices, the narrative's typed numbers, and the month's review (``make check``).
Imports ``inputs`` and ``core``."""
