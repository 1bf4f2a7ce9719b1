"""The publication site (``make sitio``): what it lists (``listing``: the published months
and years, each month's files, headline figures, BORRADOR mark and last build result) and
its pages (``pages``: Jinja templates in ``templates/sitio/``). The command, its
incremental copy and its publishing are ``builder.site``."""
