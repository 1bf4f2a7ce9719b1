"""``make preview``: the server, what a change touches, the watcher. The top floor."""
