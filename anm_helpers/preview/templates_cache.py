"""nbconvert's compiled templates, kept in memory for the preview's rebuilds."""
from __future__ import annotations


class CompiledTemplates:
    """A Jinja bytecode cache in memory for nbconvert's templates, in the preview's
    process only: the deck's exporter is made anew for every deck (``deck.export``)
    and would compile the same templates each time (a third of a rebuild's merge).
    Each template is still read from disk every time and its compiled form is used
    only while its text is the same (Jinja's checksum), so a template edit is seen;
    the deck written is byte for byte the same."""

    installed = False

    @classmethod
    def install(cls) -> None:
        if cls.installed:
            return
        import jinja2
        from nbconvert.exporters import templateexporter

        class Memory(jinja2.BytecodeCache):
            def __init__(self):
                self.compiled: dict[str, tuple[str, object]] = {}

            def load_bytecode(self, bucket) -> None:
                found = self.compiled.get(bucket.key)
                if found is not None and found[0] == bucket.checksum:
                    bucket.code = found[1]

            def dump_bytecode(self, bucket) -> None:
                self.compiled[bucket.key] = (bucket.checksum, bucket.code)

        memory = Memory()
        create = templateexporter.TemplateExporter._create_environment

        def _create_environment(self):
            env = create(self)
            env.bytecode_cache = memory
            return env

        templateexporter.TemplateExporter._create_environment = _create_environment
        cls.installed = True
