"""Readers of the source files (docs/sources.md) and the loader into the raw warehouse schema.

- ``config.load_config(path=None) -> Config``: greentrade.toml plus environment overrides;
- ``registry.SOURCES`` / ``registry.get_source(key)``: reader and file discovery per source;
- a reader: ``read(path, **options) -> dict[raw table name, DataFrame | pyarrow.Table]``,
  pure, raising ``errors.SourceFormatError(file, place, message)``;
- ``warehouse.load(con_or_path, source_key, path=None, config=None) -> LoadReport`` and
  ``warehouse.load_all(config)``.
"""
