"""smolcall: small models as reliable function callers."""

# First, before anything imports mlx.core: MLX's Linux CPU build needs OpenBLAS preloaded.
from smolcall.backend import keep_freed_memory, preload_blas

preload_blas()
keep_freed_memory()  # glibc: reuse freed memory instead of page-faulting fresh pages (backend)
