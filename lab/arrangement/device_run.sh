#!/usr/bin/env bash
# The GPU run behind findings/arrangement.json and the extra toy pairs (one H200, 16 CPU cores, through the device
# tool): the arrangement experiment's jobs in parallel one-thread workers, beside two more toy pairs (seeds 1 and 2,
# fp32 like the bundled one) and the residual ablation (the toy ViT without residual connections, seeds 0-2).
# Everything stops at $DEADLINE seconds; finished jobs' records and the weights needed here are packed into $OUT.
# SMOKE=1 runs the same on tiny settings (for trying it on a CPU).
set -u
OUT=${OUT:-/tmp/device-out}
DEADLINE=${DEADLINE:-510}
WORKERS=${WORKERS:-10}
mkdir -p "$OUT" runs/logs
export PYTHONUNBUFFERED=1 OMP_NUM_THREADS=1
if [ "${SMOKE:-0}" = 1 ]; then
  arrangement_args=(--smoke) toy_args=(--train-size 128 --val-size 40 --test-size 40 --epochs 1 --batch-size 64)
else
  arrangement_args=() toy_args=()
fi
{ nvidia-smi --query-gpu=name,memory.total,compute_mode --format=csv; nproc; free -g; } > runs/logs/machine.txt 2>&1
python3 -c "import torch, timm; print('torch', torch.__version__, 'timm', timm.__version__, 'cuda', torch.cuda.is_available())" >> runs/logs/machine.txt 2>&1
# MPS lets the workers' small kernels share the GPU at once; kept only if a CUDA process can start under it
if command -v nvidia-cuda-mps-control >/dev/null && nvidia-cuda-mps-control -d 2>>runs/logs/machine.txt; then
  if timeout 90 python3 -c "import torch; torch.ones(1, device='cuda').sum().item()" 2>>runs/logs/machine.txt; then
    echo "MPS: on" >> runs/logs/machine.txt
  else
    echo quit | nvidia-cuda-mps-control; echo "MPS: failed a CUDA start, off" >> runs/logs/machine.txt
  fi
else
  echo "MPS: unavailable" >> runs/logs/machine.txt
fi
start=$(date +%s)
for seed in 1 2; do
  timeout "$DEADLINE" python3 -m training.toy --seed "$seed" --out "runs/toy-seed$seed" --precision fp32 --threads 1 \
    "${toy_args[@]}" > "runs/logs/toy-seed$seed.log" 2>&1 &
done
for seed in 0 1 2; do
  timeout "$DEADLINE" python3 -m training.toy --seed "$seed" --without-residuals --out "runs/toy-without-residuals-seed$seed" \
    --precision fp32 --threads 1 "${toy_args[@]}" > "runs/logs/toy-without-residuals-seed$seed.log" 2>&1 &
done
timeout "$DEADLINE" python3 -m lab.arrangement --workers "$WORKERS" --jobs-only --out runs/arrangement \
  "${arrangement_args[@]}" > runs/logs/arrangement.log 2>&1
echo "arrangement exit $? after $(( $(date +%s) - start )) s" >> runs/logs/machine.txt
wait
echo "all done after $(( $(date +%s) - start )) s" >> runs/logs/machine.txt
nvidia-smi >> runs/logs/machine.txt 2>&1
cd runs
tar czf "$OUT/records.tar.gz" arrangement/*.json toy-*/manifest.json toy-*/MODEL_CARD.md logs 2>/dev/null
tar cf "$OUT/vit_position.tar" arrangement/main-vit_position-seed*.safetensors 2>/dev/null
tar cf "$OUT/cnn_pooled_01.tar" arrangement/main-cnn_pooled-seed[01].safetensors 2>/dev/null
tar cf "$OUT/cnn_pooled_2.tar" arrangement/main-cnn_pooled-seed2.safetensors 2>/dev/null
for seed in 1 2; do tar cf "$OUT/toy-seed$seed.tar" "toy-seed$seed" 2>/dev/null; done
ls -la "$OUT"
