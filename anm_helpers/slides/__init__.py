"""The slide model every output renders from, the notebook API (``seccion``, the code that
runs in the kernel), elements' HTML, charts and their text alternatives, sanitising.
Imports ``figures``, ``inputs`` and ``core``; never ``build`` or ``preview``."""
