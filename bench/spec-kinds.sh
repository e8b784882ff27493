#!/usr/bin/env bash
# Trains one byte-level language model per layer-spec kind on Moby-Dick with the same short budget, each from the
# command line (`recur train --model KIND*1`: one block, so that lstm and mamba are stacks too rather than the
# byte models those two names pick alone), and prints a Markdown table of held-out bits per byte, parameters,
# training time (the loop's own, without start-up) and tokens/s. docs/TASKS.md quotes its output. Run it on an
# otherwise idle machine.
#
#   bench/spec-kinds.sh                          # every kind `recur train --list-kinds` prints, 300 steps each
#   KINDS="gru gdn mamba2" STEPS=100 bench/spec-kinds.sh
#
# The run folders stay in bench/out/kinds/ (git-ignored).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
out="$root/bench/out/kinds"
steps="${STEPS:-300}"
width="${WIDTH:-128}"
seq_len="${SEQ_LEN:-128}"
batch="${BATCH:-16}"
threads="${THREADS:-2}"
mlp="${MLP:-0}"
kinds="${KINDS:-$("$root/recur" train --list-kinds | cut -d' ' -f1)}"
# Moby-Dick alone, as the CLI caches it on first use (`./recur train` fetches it).
text="${RECUR_CACHE:-$HOME/.cache/recur}/corpora/moby-dick.txt"
if [ ! -f "$text" ]; then
  echo "spec-kinds: $text is missing; run ./recur train once (it fetches Moby-Dick) and try again" >&2
  exit 2
fi
mkdir -p "$out"

echo "Moby-Dick alone (its last 5% held out), ${steps} steps of ${batch} x ${seq_len} bytes, width ${width}, one block of each kind (pre-norm"
echo "residual, SwiGLU MLP of ${mlp} units (0: none), RMSNorm, byte embedding and head), AdamW at the default"
echo "learning rate and schedule, ${threads} threads;"
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores, commit"
echo "$(cd "$root" && git rev-parse --short HEAD)."
echo
echo "| kind | parameters | held-out bits/byte | training time | tokens/s |"
echo "| --- | ---: | ---: | ---: | ---: |"
for kind in $kinds; do
  dir="$out/$kind"
  rm -rf "$dir"
  log="$out/$kind.log"
  if ! "$root/recur" --threads "$threads" train --text "$text" --model "${kind}*1" --width "$width" --steps "$steps" \
      --seq-len "$seq_len" --batch "$batch" --mlp "$mlp" --eval-every 0 --checkpoint-every 0 --out "$dir" >"$log" 2>&1; then
    echo "| \`$kind\` | | failed (see $log) | | |"
    continue
  fi
  params=$(sed -n 's/.*, \([0-9,]*\) parameters.*/\1/p' "$log" | head -1)
  bpb=$(sed -n 's/^validation: \([0-9.]*\) bits\/byte.*/\1/p' "$log" | tail -1)
  tps=$(sed -n 's/^throughput: \([0-9,]*\) tokens\/s.*/\1/p' "$log" | tail -1)
  took=$(sed -n 's/^done: step [0-9]*\/[0-9]*, [0-9]* steps in \(.*\)$/\1/p' "$log" | tail -1)
  printf '| `%s` | %s | %s | %s | %s |\n' "$kind" "$params" "$bpb" "$took" "$tps"
done
