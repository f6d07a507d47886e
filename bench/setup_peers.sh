#!/usr/bin/env bash
# Builds the benchmark's own environment for the peer stacks (never the project's dependencies):
#   PyTorch 2.13 CPU + PEFT (training peer) and llama-cpp-python built from source (inference peer).
# Usage: bash bench/setup_peers.sh   -> bench/.peers/ (gitignored); the bench scripts find it there.
# torch comes from the local wheel (`pip install torch==2.13.0` finds it through PIP_FIND_LINKS);
# llama-cpp-python is compiled from its PyPI source release for this CPU's AVX-512, but without
# llama.cpp's AMX backend: on the project's VMs its tile instructions crash the process (SIGSEGV
# in ggml_backend_amx_mul_mat, seen with gdb). GGML_NATIVE would turn AMX on whatever the AMX
# options say, so the instruction sets are listed instead.
set -euo pipefail
cd "$(dirname "$0")"
PEERS=.peers
command -v uv >/dev/null || pip install uv
[ -x "$PEERS/bin/python" ] || python3.11 -m venv "$PEERS" 2>/dev/null || python3 -m venv "$PEERS"
"$PEERS/bin/python" -m pip install -q --upgrade pip
"$PEERS/bin/python" -m pip install -q "torch==2.13.0"
"$PEERS/bin/python" -m pip install -q "peft>=0.17" "transformers>=4.56" "numpy<3" sentencepiece
CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON \
-DGGML_AVX512=ON -DGGML_AVX512_VBMI=ON -DGGML_AVX512_VNNI=ON -DGGML_AVX512_BF16=ON \
-DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF" \
    uv pip install --python "$PEERS/bin/python" --no-binary llama-cpp-python --no-cache --reinstall-package \
    llama-cpp-python "llama-cpp-python==0.3.36"
"$PEERS/bin/python" - <<'PY'
import llama_cpp, peft, torch, transformers
print("peers ready: torch", torch.__version__, "| peft", peft.__version__, "| transformers",
      transformers.__version__, "| llama-cpp-python", llama_cpp.__version__)
PY
