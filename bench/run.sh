#!/usr/bin/env bash
# Regenerates docs/BENCHMARKS.md: builds Recur with the peers modules (-Ppeers), runs every bench suite beside
# DJL + PyTorch and OpenBLAS (one JVM per suite, peers in the suite's JVM; JSON rows with ratios) and the LSTM
# beside Deeplearning4j (one JVM per thread count), profiles the suites behind the goals with JFR, runs every suite
# again in one JVM (Recur alone) to show what a process that runs them all gets, and writes the document, one
# section per vector width. Run it on an otherwise idle machine; it takes about a quarter of an hour per width.
#
#   bench/run.sh                         # all suites at the JVM's native width, 10 timed runs per figure
#   WIDTHS="native avx2 128" bench/run.sh  # one section per width (see below)
#   REPEATS=5 SUITES="gemm lstm" bench/run.sh
#   PROFILE=0 ONE_JVM=0 bench/run.sh     # skip the JFR profiles and the one-JVM pass
#
# Widths: native (what the JVM prefers here), avx2 (-XX:UseAVX=2: 256-bit vectors and AVX2's 16 registers, on an
# AVX-512 machine the stand-in for most laptops and cloud VMs), 128 (-XX:MaxVectorSize=16: 128-bit vectors with FMA,
# the stand-in for ARM NEON). Peers are held to the same width where they can be: OpenBLAS by OPENBLAS_CORETYPE
# (HASWELL, NEHALEM), PyTorch by ATEN_CPU_CAPABILITY and ONEDNN_MAX_CPU_ISA.
#
# The run's raw files stay in bench/out/WIDTH/ (git-ignored); bench/analysis.md, when present, is appended as written.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
out_root="$root/bench/out"
repeats="${REPEATS:-10}"
suites="${SUITES:-all}"
widths="${WIDTHS:-native}"
for width in $widths; do
  case "$width" in native|avx2|128) ;; *) echo "bench: WIDTHS: expected native, avx2 or 128, got '$width'" >&2; exit 2 ;; esac
done
[ "$suites" = all ] && suites="gemm scan lstm gru mamba decode latency"
# OpenBLAS's core type at the native width: its AVX-512 kernels where the CPU has them (it picks its AVX2 ones on
# this CPU unless told, and some machines set OPENBLAS_CORETYPE=Haswell in the environment); BENCH_OPENBLAS_CORETYPE
# overrides.
if grep -q -w avx512f /proc/cpuinfo 2>/dev/null; then
  native_coretype="${BENCH_OPENBLAS_CORETYPE:-COOPERLAKE}"
else
  native_coretype="${BENCH_OPENBLAS_CORETYPE:-HASWELL}"
fi

echo "bench: building with -Ppeers..." >&2
(cd "$root" && mvn -q -B -Ppeers -pl recur-peers,recur-peers-dl4j -am package -DskipTests)
cp="$root/recur-peers/target/classes:$(cat "$root/recur-peers/target/runner.classpath")"
# Deeplearning4j brings its own OpenBLAS and JavaCPP, so it runs from a class path of its own.
dl4j_cp="$root/recur-peers-dl4j/target/classes:$(cat "$root/recur-peers-dl4j/target/runner.classpath")"
# measure WIDTH: every figure of one width's section into bench/out/WIDTH.
measure() {
local width="$1"
local out="$out_root/$width"
mkdir -p "$out"
rm -f "$out"/*.jfr "$out"/results.jsonl "$out"/results-one-jvm.jsonl
flags=(--add-modules jdk.incubator.vector -XX:+UseParallelGC -Xss8m -Xmx8g)
case "$width" in
  native)
    export OPENBLAS_CORETYPE="$native_coretype"
    unset ATEN_CPU_CAPABILITY ONEDNN_MAX_CPU_ISA ;;
  avx2)
    flags+=(-XX:UseAVX=2)
    export OPENBLAS_CORETYPE=HASWELL ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2 ;;
  128)
    flags+=(-XX:MaxVectorSize=16)
    export OPENBLAS_CORETYPE=NEHALEM ATEN_CPU_CAPABILITY=default ONEDNN_MAX_CPU_ISA=SSE41 ;;
esac

{
  echo "date:        $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "commit:      $(cd "$root" && git rev-parse --short HEAD)$(cd "$root" && git diff --quiet HEAD || echo ' (with uncommitted changes)')"
  echo "cpu:         $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
  echo "cores:       $(nproc) available ($(lscpu | sed -n 's/^CPU(s): *//p' | head -1) CPUs, $(lscpu | sed -n 's/^Thread(s) per core: *//p' | head -1) thread(s) per core)"
  echo "caches:      L2 $(lscpu | sed -n 's/^L2 cache: *//p' | head -1), L3 $(lscpu | sed -n 's/^L3 cache: *//p' | head -1)"
  echo "memory:      $(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
  echo "jvm:         $(java -version 2>&1 | sed -n 2,3p | tr '\n' ' ')"
  echo "flags:       ${flags[*]}"
  echo "width:       $width ($(java "${flags[@]}" -cp "$cp" dev.recur.cli.Main bench --vectors 2>/dev/null || echo unknown))"
  echo "env:         OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE ATEN_CPU_CAPABILITY=${ATEN_CPU_CAPABILITY:-} ONEDNN_MAX_CPU_ISA=${ONEDNN_MAX_CPU_ISA:-}"
  echo "peers:       DJL 0.36.0 + PyTorch 2.7.1 (CPU, intra-op threads = row's threads, 1 inter-op); OpenBLAS 0.3.31 (org.bytedeco 1.5.13); Deeplearning4j 1.0.0-M2.1 (nd4j-native, LSTM only, OMP_NUM_THREADS = row's threads, OMP_WAIT_POLICY=PASSIVE)"
  echo "command:     bench/run.sh  (REPEATS=$repeats SUITES=\"$suites\" WIDTHS=\"$widths\")"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min)"
} > "$out/machine.txt"

: > "$out/results.jsonl"
: > "$out/notes.txt"
# One JVM per suite: a kernel that ran earlier in the process can change how C2 compiles a later one (after the
# scan suite, the GEMM's fma fell back to boxed vectors and the LSTM ran 6-9x slower). Peers share the suite's JVM.
for s in $suites; do
  echo "bench: measuring $s with peers (REPEATS=$repeats)..." >&2
  java "${flags[@]}" -cp "$cp" dev.recur.peers.PeerRunner --json --repeats "$repeats" "$s" \
    >> "$out/results.jsonl" 2> >(grep -v -e '^WARNING: Using incubator' -e '^SLF4J' | tee -a "$out/notes.txt" >&2)
done
# Deeplearning4j's LSTM, one process per thread count: nd4j sizes its OpenMP pool when it loads, and its idle
# OpenMP threads spin at full speed (stealing a core from the Recur figure timed beside them) unless told PASSIVE.
case " $suites " in *" lstm "*)
  counts=1
  [ "$(nproc)" -gt 1 ] && counts="1 $(nproc)"
  for t in $counts; do
    echo "bench: measuring lstm against Deeplearning4j on $t thread(s)..." >&2
    OMP_NUM_THREADS="$t" OMP_WAIT_POLICY=PASSIVE java "${flags[@]}" -cp "$dl4j_cp" dev.recur.peers.dl4j.Dl4jRunner \
      --json --repeats "$repeats" --threads "$t" \
      >> "$out/results.jsonl" 2> >(grep -v -e '^WARNING: Using incubator' -e '^SLF4J' | tee -a "$out/notes.txt" >&2)
  done
;; esac
# Every suite again in one JVM, Recur alone: a user's process runs them all, and a kernel that ran earlier must
# not slow a later one (the document sets each row beside the same row measured in a JVM of its own suite).
if [ "${ONE_JVM:-1}" != 0 ]; then
  echo "bench: measuring every suite in one JVM..." >&2
  java "${flags[@]}" -cp "$cp" dev.recur.cli.Main bench --json --repeats "$repeats" $suites \
    > "$out/results-one-jvm.jsonl" 2> >(grep -v -e '^WARNING: Using incubator' >&2)
fi
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min)" >> "$out/machine.txt"

if [ "${PROFILE:-1}" != 0 ]; then
  for s in gemm lstm gru mamba decode scan; do
    case " $suites " in *" $s "*) ;; *) continue ;; esac
    echo "bench: profiling $s with JFR..." >&2
    java "${flags[@]}" -XX:StartFlightRecording="filename=$out/profile-$s.jfr,settings=profile" \
      -cp "$cp" dev.recur.cli.Main bench "$s" --repeats 3 > "$out/profile-$s.txt" 2>&1
  done
fi

}

for width in $widths; do
  measure "$width"
done

analysis=()
[ -f "$root/bench/analysis.md" ] && analysis=("$root/bench/analysis.md")
java -cp "$cp" dev.recur.peers.BenchmarksDoc "$out_root" "$root/docs/BENCHMARKS.md" "${analysis[@]}"
echo "bench: wrote docs/BENCHMARKS.md" >&2
