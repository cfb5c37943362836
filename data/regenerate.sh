#!/usr/bin/env bash
# Regenerates the expected outputs of the sample dump (data/expected/: the tables and the state's
# Parquet file, which depends only on the data), and with --sample the
# sample dump itself (data/sample/). Run it after changing a calibrator or the default methods
# (Calibration.DEFAULT_METHODS), review the diff, and commit it:
#   data/regenerate.sh            # expected outputs only
#   data/regenerate.sh --sample   # the dump too (same seed: same values, new file name)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [[ "${1:-}" == --sample ]]; then
  rm -rf data/sample
  # 12 tensors (every kind of Synthetic, odd names) x 20000 values, 4096 values per row, one file.
  bin/qcal generate --output data/sample --tensors 12 --values 20000 --values-per-row 4096 \
      --seed 42 --files 1
  find data/sample -name '.*.crc' -delete
fi

out="$(mktemp -d)/out"
bin/qcal calibrate --input data/sample --output "$out"
mkdir -p data/expected
cp "$out/calibration.json" "$out/calibration.cache" "$out/calibration.csv" "$out/state/tensors.parquet" data/expected/
rm -rf "$(dirname "$out")"
echo "data/expected/ regenerated; review with: git diff --stat data/expected" >&2
