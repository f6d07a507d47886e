"""smolcall: small models as reliable function callers."""

# First, before anything imports mlx.core: MLX's Linux CPU build needs OpenBLAS preloaded.
from smolcall.backend import preload_blas

preload_blas()
