"""Helpers of the ANM monthly service report (see README.md)."""
import sys

# nbformat validates notebooks with jsonschema, which imports the optional
# rfc3987_syntax package (installed with JupyterLab) for its "iri" format: that
# import compiles a grammar and costs over a second in every process of a build.
# No notebook schema uses that format, and jsonschema skips the checker when the
# import fails, as it does by design when the package is absent.
sys.modules.setdefault("rfc3987_syntax", None)
