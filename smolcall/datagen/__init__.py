"""Synthetic function-calling data: a seeded, offline generator of Glaive v2 rows.

    >>> rows = list(generate_rows(GenConfig(train_rows=2, valid_rows=0, test_rows=0)))
    >>> sorted(rows[0])
    ['chat', 'meta', 'system']

`ensure_generated(Path("data/smolcall-gen"))` builds the default set on first use.
"""

from smolcall.datagen.build import (
    GenConfig,
    build_dataset,
    dataset_stats,
    ensure_generated,
    generate_rows,
    load_functions,
)

__all__ = ["GenConfig", "build_dataset", "dataset_stats", "ensure_generated", "generate_rows", "load_functions"]
