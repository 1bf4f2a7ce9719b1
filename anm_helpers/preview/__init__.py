"""``make preview``, the top floor: ``app`` (the command, the watcher, the rebuilds),
``server`` (the page and the state it polls), ``tracking`` (what a section reads of the
params), ``templates_cache`` (nbconvert's compiled templates kept between builds)."""
