#!/usr/bin/env bash
# Regenerates every fixture in test/fixtures/ from R. Run from anywhere; needs Debian's r-base-core and
# r-cran-{survival,mass,sandwich,boot,metafor,psych,jsonlite}. The fixtures are committed, so `npm test` never needs R.
set -euo pipefail
cd "$(dirname "$0")/.."
for script in reference/*.R; do
  [ "$(basename "$script")" = common.R ] && continue
  echo "Rscript $script"
  Rscript "$script"
done
