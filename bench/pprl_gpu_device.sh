#!/bin/sh
# bench/pprl_gpu.py on a lent GPU machine, both libraries, one call (about 2 minutes).
# Its python3 holds PyTorch and CuPy but not array-api-compat: bring that as a wheel first,
# here, from the repository root (.whl/ is ignored by git):
#   python3 -m pip download --no-deps --only-binary=:all: --python-version 3.12 \
#       --implementation cp -d .whl array-api-compat==1.16.0
# then run this with `.whl` carried. The kernels need no other part of the project.
set -e
python3 -m pip install -q --no-index --no-deps --no-compile --target /tmp/site .whl/*.whl
export PYTHONPATH=/tmp/site PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,memory.total,clocks.max.sm --format=csv
for lib in cupy torch; do
    echo "== UNSEEN_GPU=$lib"
    UNSEEN_GPU=$lib python3 bench/pprl_gpu.py --n "${N:-1000000}" --anchor 20000
done
