"""Eora26 year folders (``Eora26_{year}_bp/``) into ``raw.eora26_cells`` / ``raw.eora26_labels``
and back into arrays. One job per module:

- :mod:`.parse`: reading one year folder -- the C tokenizer (``_tokenizer.c``) or its polars
  fallback, the shape and plausibility checks, the raw tables (:func:`read`, the source's
  reader; :func:`read_year`; :func:`read_matrix_cells`);
- :mod:`.store`: persisting the cells in the warehouse's block layout, one table per year,
  matrix and load behind the view ``raw.eora26_cells`` (:func:`store_cells`,
  :func:`drop_cells`; the loader calls them inside its transaction);
- :mod:`.readback`: stored years back into dense numpy arrays, pymrio-labelled frames, or
  the world table the embedding needs (:func:`read_year_arrays`, :func:`read_year_frames`,
  :func:`world_from_cells`, :func:`scatter_cells`).

The label files are read by :mod:`greentrade.ingest.eora26_labels`. Values are as published:
thousand USD at basic prices (Q / QY in each satellite's unit, CO2 in Gg). Storage and
speed: docs/eora26_storage.md.
"""

from ..eora26_labels import LABEL_COLUMNS, MATRIX_AXES, label_rows
from .parse import (
                    BLOCKS_METADATA,
                    CELL_COLUMNS,
                    LABEL_TABLE_COLUMNS,
                    MATRICES,
                    MESSAGE_METADATA,
                    Eora26Checks,
                    Eora26Read,
                    MatrixStats,
                    matrix_file,
                    read,
                    read_matrix_cells,
                    read_year,
)
from .readback import Eora26Year, WorldYear, read_year_arrays, read_year_frames, scatter_cells, world_from_cells
from .store import BLOCKS_TABLE, CELL_TYPES, drop_cells, ensure_cells_view, refresh_cells_view, store_cells

__all__ = [
    "BLOCKS_METADATA", "BLOCKS_TABLE", "CELL_COLUMNS", "CELL_TYPES", "LABEL_COLUMNS", "LABEL_TABLE_COLUMNS",
    "MATRICES", "MATRIX_AXES", "MESSAGE_METADATA", "Eora26Checks", "Eora26Read", "Eora26Year", "MatrixStats",
    "drop_cells", "ensure_cells_view", "label_rows", "matrix_file", "read", "read_matrix_cells", "read_year",
    "read_year_arrays", "read_year_frames", "refresh_cells_view", "scatter_cells", "store_cells", "WorldYear",
    "world_from_cells",
]
