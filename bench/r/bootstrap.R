# R side of bench/bootstrap.ts: 10,000 resamples of a mean on 590 rows with boot::boot.
# Usage: Rscript bench/r/bootstrap.R RUNS   -> one JSON line {"seconds": [...], "se": ..., "bca": [...]}
suppressPackageStartupMessages(library(boot))
runs <- as.integer(commandArgs(trailingOnly = TRUE)[1])
set.seed(590)
x <- rnorm(590) # the same data enrich draws with createRRandom(590).rnorm(590)
seconds <- numeric(runs)
for (run in seq_len(runs)) {
  set.seed(1)
  seconds[run] <- system.time(b <- boot(x, function(d, i) mean(d[i]), R = 10000))[["elapsed"]]
}
ci_seconds <- system.time(ci <- boot.ci(b, type = "bca", L = empinf(b, type = "jack")))[["elapsed"]]
cat(sprintf('{"seconds": [%s], "se": %.17g, "bca": [%.17g, %.17g], "ciSeconds": %.6f}\n',
            paste(sprintf("%.6f", seconds), collapse = ", "), sd(b$t[, 1]), ci$bca[4], ci$bca[5], ci_seconds))
