"""Where MLX runs, and the Linux CPU fast path: an optimized BLAS loaded before MLX.

The `mlx-cpu` wheel links a reference BLAS (about 6 GFLOP/s for a float32 1024x1024 matmul on
the project's machines). Loading OpenBLAS into the global symbol scope *before the first
`import mlx.core`* makes MLX's `cblas_*` calls resolve to it instead (150-200 GFLOP/s).
`smolcall/__init__.py` calls `preload_blas()` first thing, so every entry point gets it.

This module must not import `mlx` at import time: that would make the preload too late.

    >>> from smolcall.backend import preload_blas, format_backend
    >>> preload_blas()                                         # doctest: +SKIP
    '/.../site-packages/cmeel.prefix/lib/libopenblas.so.0'
    >>> format_backend()                                       # doctest: +SKIP
    'mlx 0.32.4 on cpu, BLAS /.../cmeel.prefix/lib/libopenblas.so.0'
"""

from __future__ import annotations

import ctypes
import logging
import os
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

log = logging.getLogger(__name__)

NO_BLAS_ENV = "SMOLCALL_NO_BLAS"
# An OpenBLAS built for one CPU (no DYNAMIC_ARCH) runs that CPU's instructions unchecked and dies
# with SIGILL elsewhere: cmeel-openblas 0.3.31 is built for SKYLAKEX, which needs AVX-512.
# The x86 flags (as /proc/cpuinfo names them) each such core name needs.
CORE_FLAGS = {
    "SKYLAKEX": ("avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd"),
    "COOPERLAKE": ("avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd", "avx512_bf16"),
    "SAPPHIRERAPIDS": ("avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd", "avx512_bf16"),
    "HASWELL": ("avx2", "fma"),
    "ZEN": ("avx2", "fma"),
    "SANDYBRIDGE": ("avx",),
}
# Debian's libopenblas0-pthread (or -openmp/-serial) registers this soname with the loader.
SYSTEM_OPENBLAS = "libopenblas.so.0"
CMEEL_OPENBLAS = Path("cmeel.prefix") / "lib" / "libopenblas.so.0"

# Module state: preload runs once per process; the handle keeps the library mapped.
_attempted = False
_loaded_path: str | None = None
_loaded_too_late = False
_handle: ctypes.CDLL | None = None


def blas_disabled() -> bool:
    """True when `SMOLCALL_NO_BLAS` asks for MLX's reference BLAS.

        SMOLCALL_NO_BLAS=1 -> True;  unset, "" or "0" -> False
    """
    return os.environ.get(NO_BLAS_ENV, "").strip() not in ("", "0")


def openblas_candidates() -> list[str]:
    """Library paths to try, best first: cmeel-openblas in this environment, then Debian's.

        ['/work/main/.venv/lib/python3.11/site-packages/cmeel.prefix/lib/libopenblas.so.0',
         '/lib/x86_64-linux-gnu/libopenblas.so.0', 'libopenblas.so.0']
    """
    return list(dict.fromkeys(_candidates()))


def _candidates():
    """openblas_candidates(), lazily (with repeats): `ldconfig` runs only if cmeel's is refused."""
    roots = [sysconfig.get_paths()["platlib"], sysconfig.get_paths()["purelib"], *sys.path]
    for root in roots:
        path = Path(root or ".") / CMEEL_OPENBLAS
        if path.is_file():
            yield str(path)
    # The system's by full path: once a library of the same soname is loaded (cmeel's, refused
    # on this CPU), the bare soname would give that one back.
    yield from system_openblas_paths()
    # A bare soname lets the dynamic loader search its cache (/usr/lib/x86_64-linux-gnu, ...).
    yield SYSTEM_OPENBLAS


def system_openblas_paths() -> list[str]:
    """Full paths of the loader cache's `libopenblas.so.0` entries (`ldconfig -p`), or [].

        ['/lib/x86_64-linux-gnu/libopenblas.so.0']
    """
    try:
        listing = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    paths = []
    for line in listing.splitlines():
        name, _, path = line.strip().partition(" => ")
        if name.split(" ", 1)[0] == SYSTEM_OPENBLAS and path and path not in paths:
            paths.append(path)
    return paths


def cpu_flags() -> set[str] | None:
    """The CPU's feature flags from /proc/cpuinfo, or None where there is no such file or line.

        {'fpu', 'sse2', 'avx', 'avx2', 'fma', ...}
    """
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("flags"):
            return set(line.partition(":")[2].split())
    return None


def unsupported_reason(config: str, core: str, flags: set[str] | None) -> str | None:
    """Why an OpenBLAS build cannot run on this CPU, or None when it can (or we cannot tell).

    `config` and `core` are what the library's `openblas_get_config()` and
    `openblas_get_corename()` return; a DYNAMIC_ARCH build picks its kernels at run time.

    >>> unsupported_reason("OpenBLAS 0.3.31 NO_AFFINITY SKYLAKEX MAX_THREADS=4", "SKYLAKEX", {"avx", "avx2", "fma"})
    'built for SKYLAKEX only, which needs CPU flags this CPU lacks: avx512bw, avx512cd, avx512dq, avx512f, avx512vl'
    >>> unsupported_reason("OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64", "Zen", {"avx"}) is None
    True
    """
    if "DYNAMIC_ARCH" in config.split() or flags is None:
        return None
    missing = sorted(set(CORE_FLAGS.get(core.upper(), ())) - flags)
    if not missing:
        return None
    return f"built for {core} only, which needs CPU flags this CPU lacks: {', '.join(missing)}"


def _library_reason(library: ctypes.CDLL) -> str | None:
    """`unsupported_reason` for a loaded OpenBLAS (None for a library that cannot say)."""
    try:
        get_config, get_core = library.openblas_get_config, library.openblas_get_corename
    except AttributeError:
        return None
    get_config.restype = get_core.restype = ctypes.c_char_p
    return unsupported_reason(get_config().decode(), get_core().decode(), cpu_flags())


def preload_blas() -> str | None:
    """Load OpenBLAS globally so MLX's CPU backend uses it; return the path loaded, or None.

    Does nothing off Linux (macOS MLX uses Accelerate), when `SMOLCALL_NO_BLAS=1`, or on a
    second call (it returns the first call's result). Cheap: a few stat calls and one dlopen.

        >>> preload_blas()                                     # doctest: +SKIP
        '/.../site-packages/cmeel.prefix/lib/libopenblas.so.0'
    """
    global _attempted, _loaded_path, _loaded_too_late, _handle
    if _attempted:
        return _loaded_path
    _attempted = True
    if not sys.platform.startswith("linux") or blas_disabled():
        return None
    too_late = "mlx.core" in sys.modules
    if too_late:
        log.warning(
            "mlx.core was imported before smolcall.backend.preload_blas(): MLX keeps its "
            "reference BLAS (about 25x slower float32 matmuls). Import smolcall before mlx."
        )
    errors: list[str] = []
    tried: set[str] = set()
    for candidate in _candidates():
        if candidate in tried:
            continue
        tried.add(candidate)
        try:
            # Loaded locally first: its symbols stay out of MLX's reach until it is known to run here.
            reason = _library_reason(ctypes.CDLL(candidate))
            if reason is not None:
                errors.append(f"{candidate}: {reason}")
                continue
            _handle = ctypes.CDLL(candidate, mode=ctypes.RTLD_GLOBAL)
        except OSError as e:
            errors.append(f"{candidate}: {e}")
            continue
        if errors:
            log.info("OpenBLAS %s loaded; skipped: %s", candidate, "; ".join(errors))
        _loaded_path, _loaded_too_late = candidate, too_late
        return candidate
    if any("libgfortran" in err for err in errors):
        hint = ("install Debian's libgfortran5 (`apt-get install libgfortran5`), which cmeel-openblas "
                "links against")
    elif any("CPU flags" in err for err in errors):
        hint = ("install Debian's `libopenblas0-pthread` (`apt-get install libopenblas0-pthread`), "
                "built for every x86 CPU")
    else:
        hint = "install the `cmeel-openblas` package or Debian's `libopenblas0-pthread`"
    log.warning(
        "no OpenBLAS could be loaded, so MLX uses its reference BLAS (about 25x slower "
        "float32 matmuls on CPU); fix: %s. Tried: %s",
        hint,
        "; ".join(errors),
    )
    return None


NO_MALLOC_TUNING_ENV = "SMOLCALL_NO_MALLOC_TUNING"
# glibc mallopt parameters (malloc.h).
_M_TRIM_THRESHOLD, _M_TOP_PAD, _M_MMAP_THRESHOLD = -1, -2, -3
_malloc_tuned: bool | None = None


def keep_freed_memory() -> bool:
    """Make glibc keep freed memory for reuse instead of returning it to the kernel.

    MLX's CPU allocator takes every intermediate array from malloc. glibc serves blocks above its
    mmap threshold with fresh mmaps and trims the heap top after frees, so each training step
    touched its activations in new pages: ~110k page faults per step for one worker (batch 2 x 265
    tokens), about 3% of the step's time (4.65 -> 4.49 s, 10 steps each way; 0 faults after).
    Blocks up to 32 MB (glibc's ceiling for the threshold) now come from the heap, and the heap is
    never trimmed: the process keeps its peak memory, as a caching allocator would.

    Linux (glibc) only; `SMOLCALL_NO_MALLOC_TUNING=1` leaves malloc as it is. Returns whether the
    settings were applied (once per process).
    """
    global _malloc_tuned
    if _malloc_tuned is not None:
        return _malloc_tuned
    _malloc_tuned = False
    if not sys.platform.startswith("linux") or os.environ.get(NO_MALLOC_TUNING_ENV):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        applied = (libc.mallopt(_M_MMAP_THRESHOLD, 32 << 20) == 1
                   and libc.mallopt(_M_TRIM_THRESHOLD, 2**31 - 1) == 1
                   and libc.mallopt(_M_TOP_PAD, 64 << 20) == 1)
    except (OSError, AttributeError):  # not glibc (musl has no mallopt to speak of)
        return False
    _malloc_tuned = applied
    return applied


def blas_label() -> str:
    """What BLAS MLX's CPU backend is using, in words.

        '/.../cmeel.prefix/lib/libopenblas.so.0'  |  'reference'  |  'Accelerate'
        'reference (SMOLCALL_NO_BLAS=1)'  |  'reference (OpenBLAS loaded after mlx.core)'
    """
    if sys.platform == "darwin":
        return "Accelerate"
    if _loaded_path is not None and not _loaded_too_late:
        return _loaded_path
    if _loaded_too_late:
        return "reference (OpenBLAS loaded after mlx.core)"
    if blas_disabled():
        return f"reference ({NO_BLAS_ENV}=1)"
    return "reference"


def describe_backend() -> dict[str, str]:
    """The device, BLAS and MLX version this process computes with (imports mlx.core).

        {'device': 'cpu', 'blas': '/.../libopenblas.so.0', 'mlx': '0.32.4'}
    """
    preload_blas()
    import mlx.core as mx

    if mx.metal.is_available():
        device = "gpu (Metal)"
    elif mx.default_device() == mx.gpu:
        device = "gpu"
    else:
        device = "cpu"
    return {"device": device, "blas": blas_label(), "mlx": mx.__version__}


def format_backend(info: dict[str, str] | None = None) -> str:
    """`describe_backend()` as one line for logs.

        'mlx 0.32.4 on cpu, BLAS /.../cmeel.prefix/lib/libopenblas.so.0'
    """
    info = info if info is not None else describe_backend()
    return f"mlx {info['mlx']} on {info['device']}, BLAS {info['blas']}"


def on_cpu() -> bool:
    """True when MLX's default device is the CPU (always on Linux's `mlx-cpu` build).

    On CPU, smolcall dequantizes models to float32: MLX's CPU quantized and half-precision
    matmuls have no fast path.

        on a Linux box -> True;  on an Apple-silicon Mac -> False
    """
    preload_blas()
    import mlx.core as mx

    return mx.default_device() == mx.cpu


def matmul_gflops(n: int = 1024, repeats: int = 10) -> float:
    """Measured float32 n x n matmul throughput of the default device, in GFLOP/s.

        >>> round(matmul_gflops())                             # doctest: +SKIP
        173          # ~6 with SMOLCALL_NO_BLAS=1 on the project's 2-core Linux machines
    """
    preload_blas()
    import mlx.core as mx

    a = mx.random.normal((n, n), dtype=mx.float32)
    b = mx.random.normal((n, n), dtype=mx.float32)
    mx.eval(a @ b)  # warm-up: first-call allocation and thread start-up are not throughput
    start = time.perf_counter()
    for _ in range(repeats):
        mx.eval(a @ b)
    seconds = time.perf_counter() - start
    return 2 * n**3 * repeats / seconds / 1e9


def exit_without_teardown(code: int = 0) -> None:
    """End the process now, after flushing stdout and stderr, skipping interpreter teardown.

    For the entry scripts that ran MLX generation from a worker thread (client, agent): with
    OpenBLAS's threads running, the native teardown at exit aborted the finished process now and
    then ("terminate called without an active exception", exit -6) after all output was written.
    """
    import os
    import sys

    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
