"""Data-parallel training on CPU cores: one process per core, gradients summed over MLX's ring.

MLX's CPU backend runs every op but the BLAS matmuls on a single thread, and training a small
model is mostly such ops (normalization, attention softmax, SwiGLU, the optimizer). One process
with 2 BLAS threads therefore leaves a core idle most of the step; two processes with 1 thread
each, each on half of every batch, keep both busy. Measured on the project's 2-core machines:
one process 140 tokens/s, two processes together 209 (bench/train_vs_peft.py has the run).

`launch` starts the workers: the same command in `workers` processes, wired together by MLX's
ring backend over 127.0.0.1 (MLX_RANK and MLX_HOSTFILE, as `mlx.launch` sets them), each with
`cores // workers` BLAS threads. mlx-lm's trainer then splits every batch by rank (our batch
iterator honours its `comm_group`), averages the gradients before each update, and sums the
reported losses and token counts; rank 0 alone writes files and prints.

    >>> workers_for(cfg)                                    # doctest: +SKIP
    2
    >>> launch([sys.executable, "train/train.py"], 2)       # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from smolcall.config import TrainConfig

WORKER_ENV = "SMOLCALL_WORKER"  # set in every launched worker: never launch again from inside one


def in_worker() -> bool:
    return bool(os.environ.get(WORKER_ENV))


def rank() -> int:
    """This process's rank among the launched workers (0 when not launched)."""
    return int(os.environ.get("MLX_RANK", "0")) if in_worker() else 0


def exit_with_parent(poll_seconds: float = 1.0) -> None:
    """End this worker if the process that launched it dies (killed launchers leave no orphans)."""
    import threading
    import time

    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(poll_seconds)
        os._exit(1)

    threading.Thread(target=watch, name="smolcall-parent-watch", daemon=True).start()


def workers_for(cfg: TrainConfig, cores: int | None = None, cpu: bool | None = None) -> int:
    """How many processes train: `cfg.workers`, or on CPU the most cores that divide the batch.

    On Metal or CUDA one process drives the device, so auto is 1 there.
    """
    if cfg.workers is not None:  # TrainConfig.validate checked that it divides batch_size
        return cfg.workers
    if cpu is None:
        from smolcall.backend import on_cpu

        cpu = on_cpu()
    if not cpu:
        return 1
    cores = cores or os.cpu_count() or 1
    return max(n for n in range(1, min(cores, cfg.batch_size) + 1) if cfg.batch_size % n == 0)


def threads_per_worker(workers: int) -> int:
    """BLAS threads each worker gets: the cores shared out evenly, at least one."""
    return max(1, (os.cpu_count() or 1) // workers)


def free_ports(count: int) -> list[int]:
    """Ports free on 127.0.0.1 right now (bound together, then released)."""
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def launch(command: list[str], workers: int, threads: int | None = None, env: dict | None = None,
           log_dir: Path | None = None) -> int:
    """Run `command` as `workers` ring-connected processes; return the first non-zero exit or 0.

    Rank 0 keeps this terminal; the other ranks write to `log_dir/worker-<rank>.log` (or are
    silenced). If one worker fails, the others are stopped and the failure's log is named.
    """
    threads = threads or threads_per_worker(workers)
    base = dict(os.environ if env is None else env)
    with tempfile.TemporaryDirectory(prefix="smolcall-ring-") as tmp:
        hostfile = Path(tmp) / "hosts.json"
        hostfile.write_text(json.dumps([[f"127.0.0.1:{port}"] for port in free_ports(workers)]))
        procs, logs = [], []
        for r in range(workers):
            worker_env = base | {"MLX_RANK": str(r), "MLX_HOSTFILE": str(hostfile), WORKER_ENV: "1",
                                 "OPENBLAS_NUM_THREADS": str(threads), "OMP_NUM_THREADS": str(threads)}
            out = None
            if r:
                log = (log_dir / f"worker-{r}.log") if log_dir else None
                if log:
                    log.parent.mkdir(parents=True, exist_ok=True)
                out = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115 (closed below)
                logs.append((r, log, out))
            procs.append(subprocess.Popen(command, env=worker_env, stdout=out, stderr=out))
        try:
            codes, failed = _wait_all(procs)
        finally:
            for p in procs:
                if p.poll() is None:
                    p.kill()
            for _, _, out in logs:
                if out is not subprocess.DEVNULL:
                    out.close()
    if failed is None:
        for _, log, _ in logs:
            if log:
                log.unlink(missing_ok=True)  # only a failure's output is worth keeping
        return 0
    where = next((str(log) for r, log, _ in logs if r == failed and log), "above")
    print(f"error: worker {failed} of {workers} exited with {codes[failed]} (its output: {where}); "
          f"the others were stopped", file=sys.stderr)
    return codes[failed] or 1


def _wait_all(procs: list[subprocess.Popen]) -> tuple[list[int], int | None]:
    """Wait for every process; as soon as one fails, stop the rest (they would block on the ring).

    Returns the exit codes and the rank that failed first (None if all succeeded).
    """
    import time

    while True:
        codes = [p.poll() for p in procs]
        failed = next((r for r, c in enumerate(codes) if c), None)
        if failed is not None:
            for p in procs:
                if p.poll() is None:
                    p.terminate()
            for p in procs:
                try:
                    p.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
            return [p.returncode for p in procs], failed
        if all(c is not None for c in codes):
            return codes, None
        time.sleep(0.2)
