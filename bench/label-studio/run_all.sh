#!/bin/bash
# Re-runs the whole LS benchmark matrix. Usage: ./run_all.sh [reps_small] [reps_5000]
# Env: LS_VERSIONS="140 101" (default 140 = @heartexlabs/label-studio@1.4.0), LS_NS="0 100 1000 5000".
# Starts a loopback-only static server on 127.0.0.1:8765 (killed by PID on exit).
# Differences from ../shared/bench/label-studio/run_all.sh: installs into this folder's own
# package.json (without it npm would walk up and install into Loupe's root package.json), uses
# playwright-core from Loupe's node_modules, and makes big.jpg with sharp when ffmpeg is missing.
set -u
cd "$(dirname "$0")"
VERSIONS=${LS_VERSIONS:-140}; NS=${LS_NS:-0 100 1000 5000}
if [ ! -d node_modules/@heartexlabs/label-studio/build ]; then
  npm install --prefix "$PWD" --no-audit --no-fund --no-package-lock >/dev/null || { echo "npm install of Label Studio failed" >&2; exit 1; }
fi
case " $VERSIONS " in *" 101 "*)
  [ -d node_modules/label-studio/build ] || npm install --prefix "$PWD" --no-audit --no-fund --no-package-lock --no-save label-studio@1.0.1 >/dev/null ;;
esac
R=${1:-3}; R5=${2:-2}
mkdir -p tasks && node gen_tasks.mjs $NS >/dev/null
if [ ! -f big.jpg ]; then
  if command -v ffmpeg >/dev/null; then ffmpeg -loglevel error -y -f lavfi -i testsrc2=size=4000x3000 -frames:v 1 -q:v 4 big.jpg
  else ../../node_modules/.bin/tsx ../editor/image.ts big.jpg; fi
fi
python3 -m http.server 8765 --bind 127.0.0.1 --directory . > server.log 2>&1 &
SRV=$!; echo $SRV > server.pid
trap 'kill $SRV 2>/dev/null' EXIT
sleep 1
mkdir -p results
for v in $VERSIONS; do
  for n in $NS; do
    reps=$R; [ $n -eq 5000 ] && reps=$R5
    for i in $(seq 1 $reps); do
      shot=""; [ $n -eq 1000 ] && [ $i -eq 1 ] && shot="--shot $PWD/shot_${v}_1000.png"
      echo "== v=$v N=$n cdp rep $i"
      timeout 900 node bench.mjs $v $n --readytimeout 600000 $shot > results/r_${v}_${n}_cdp_$i.json 2>results/r_${v}_${n}_cdp_$i.err
      head -c 300 results/r_${v}_${n}_cdp_$i.json; echo
    done
    echo "== v=$v N=$n synthetic"
    timeout 900 node bench.mjs $v $n --readytimeout 600000 --synthetic > results/r_${v}_${n}_syn_1.json 2>results/r_${v}_${n}_syn_1.err
    head -c 300 results/r_${v}_${n}_syn_1.json; echo
  done
done
node summarize.mjs > results/summary.md
cat results/summary.md
