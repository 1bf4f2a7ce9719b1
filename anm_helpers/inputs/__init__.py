"""What the analysts drop in: the table registry (``contract``), reading exports, the
mappings (``fuentes.yaml``), validation, a month's dataset, params, map-export, the new
month's scaffold, the sample data and the notebooks' pairs. Imports ``core`` only."""
