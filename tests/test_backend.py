"""The OpenBLAS preload: order, opt-out, idempotence, and no mlx import at smolcall import."""

import json
import os
import subprocess
import sys

import pytest

from smolcall import backend


def _run(code: str, **env: str) -> tuple[dict, str]:
    """Run `code` in a fresh interpreter; return the JSON it prints last, and its stderr."""
    environ = {k: v for k, v in os.environ.items() if k != backend.NO_BLAS_ENV}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1]), result.stderr


DESCRIBE = (
    "from smolcall.backend import describe_backend; import json;"
    "print(json.dumps(describe_backend()))"
)


@pytest.mark.parametrize(
    ("value", "disabled"), [(None, False), ("", False), ("0", False), ("1", True), ("yes", True)]
)
def test_blas_disabled_reads_the_environment(
    value: str | None, disabled: bool, monkeypatch: pytest.MonkeyPatch
):
    if value is None:
        monkeypatch.delenv(backend.NO_BLAS_ENV, raising=False)
    else:
        monkeypatch.setenv(backend.NO_BLAS_ENV, value)
    assert backend.blas_disabled() is disabled


def test_candidates_end_with_the_system_soname():
    candidates = backend.openblas_candidates()
    assert candidates[-1] == "libopenblas.so.0"
    assert len(candidates) == len(set(candidates))


@pytest.mark.parametrize(
    ("config", "core", "flags", "lacks"),
    [
        # cmeel-openblas 0.3.31 as shipped, on an AVX2-only AMD EPYC: SIGILL at the first matmul.
        ("OpenBLAS 0.3.31 NO_AFFINITY SKYLAKEX MAX_THREADS=4", "SKYLAKEX", {"avx", "avx2", "fma"},
         "avx512bw, avx512cd, avx512dq, avx512f, avx512vl"),
        ("OpenBLAS 0.3.31 NO_AFFINITY SKYLAKEX MAX_THREADS=4", "SKYLAKEX",
         {"avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd"}, None),
        ("OpenBLAS 0.3.21 NO_AFFINITY HASWELL MAX_THREADS=8", "Haswell", {"avx"}, "avx2, fma"),
        # Debian's build picks its kernels at run time: fine anywhere.
        ("OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64", "Zen", {"sse2"}, None),
        # No /proc/cpuinfo flags (another OS, another architecture): no verdict, so no refusal.
        ("OpenBLAS 0.3.31 NO_AFFINITY SKYLAKEX MAX_THREADS=4", "SKYLAKEX", None, None),
        ("OpenBLAS 0.3.31 NEOVERSEN1 MAX_THREADS=4", "NEOVERSEN1", {"asimd"}, None),
    ],
)
def test_an_openblas_built_for_another_cpu_is_refused_with_the_missing_flags(config, core, flags, lacks):
    reason = backend.unsupported_reason(config, core, flags)
    if lacks is None:
        assert reason is None
    else:
        assert reason == f"built for {core} only, which needs CPU flags this CPU lacks: {lacks}"


def test_cpu_flags_are_read_on_linux():
    flags = backend.cpu_flags()
    if sys.platform.startswith("linux") and os.uname().machine == "x86_64":
        assert flags is not None and "sse2" in flags


def test_importing_smolcall_does_not_import_mlx():
    code = (
        "import sys, json, smolcall, smolcall.backend, smolcall.gguf, smolcall.models;"
        "print(json.dumps({'mlx': 'mlx.core' in sys.modules}))"
    )
    assert _run(code)[0] == {"mlx": False}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the preload is Linux-only")
def test_import_smolcall_preloads_openblas_on_linux():
    info, stderr = _run("import smolcall;" + DESCRIBE)
    if info["blas"] == "reference" and "libgfortran" in stderr:
        pytest.skip("cmeel-openblas needs libgfortran.so.5: apt-get install libgfortran5")
    assert info["device"] == "cpu"
    assert info["blas"].endswith("libopenblas.so.0"), stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the preload is Linux-only")
def test_the_preloaded_blas_runs_on_this_cpu():
    # A library built for a CPU this one is not dies with SIGILL here, not with an exception.
    code = ("import smolcall, json, mlx.core as mx; from smolcall.backend import blas_label;"
            "a = mx.ones((256, 256)); print(json.dumps({'sum': (a @ a).sum().item(), 'blas': blas_label()}))")
    result, _ = _run(code)
    assert result["sum"] == 256.0 ** 3


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the preload is Linux-only")
def test_no_blas_env_keeps_the_reference_blas():
    info, _ = _run("import smolcall;" + DESCRIBE, SMOLCALL_NO_BLAS="1")
    assert info["blas"] == "reference (SMOLCALL_NO_BLAS=1)"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the preload is Linux-only")
def test_preloading_after_mlx_warns_and_says_so():
    info, stderr = _run("import mlx.core; import smolcall;" + DESCRIBE)
    assert "imported before smolcall.backend.preload_blas()" in stderr
    assert info["blas"].startswith("reference")


def test_preload_is_idempotent():
    assert backend.preload_blas() == backend.preload_blas()


def test_format_backend_is_one_line():
    line = backend.format_backend({"device": "cpu", "blas": "reference", "mlx": "0.32.4"})
    assert line == "mlx 0.32.4 on cpu, BLAS reference"
    if sys.platform.startswith("linux"):
        assert backend.on_cpu()  # Linux's mlx-cpu build


FAULTS = """
import ctypes, resource
import smolcall
from smolcall.backend import keep_freed_memory
libc = ctypes.CDLL("libc.so.6")
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
libc.memset.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_size_t]
size = 16 << 20
faults = []
for _ in range(2):  # a 16 MB activation, written, freed, then the next step's
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    block = libc.malloc(size)
    libc.memset(block, 1, size)
    libc.free(block)
    faults.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
print(keep_freed_memory(), faults[1])
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_freed_memory_is_reused_instead_of_faulting_in_fresh_pages():
    def faults(env: dict) -> tuple[str, float]:
        out = subprocess.run([sys.executable, "-c", FAULTS], capture_output=True, text=True, check=True,
                             env={**os.environ, **env}).stdout.split()
        return out[0], float(out[1])

    tuned, tuned_faults = faults({})
    plain, plain_faults = faults({"SMOLCALL_NO_MALLOC_TUNING": "1"})
    assert (tuned, plain) == ("True", "False")
    # Untuned, the second block is fresh memory again (4k faults of 4 KB); tuned, the first one's.
    assert plain_faults > 3000 and tuned_faults < 100
