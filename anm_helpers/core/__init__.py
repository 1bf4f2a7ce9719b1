"""The ground floor: paths and settings, the errors, text and es-CO formatting, suggestions,
the month rule, fingerprints and caches, and how every command ends (``cli``). Imports
nothing else of the package."""
