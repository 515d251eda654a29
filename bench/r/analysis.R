# R side of bench/analysis.ts: the whole pre-specified trial analysis of reference/trial-analysis.R
# (primary, CACE with a 1,000-resample stratified BCa bootstrap, subgroups, counts, Cox, 4-month lm,
# engagement, SAE, CONSORT, baseline) on the 590-participant fixture, timed in-process (reading the CSV
# files included; R start-up and package loading excluded).
# Usage (from the repository root): Rscript bench/r/analysis.R RUNS -> one JSON line
#   {"seconds": [...], "cace": [estimate, lower, upper]}
TRIAL_ANALYSIS_LIBRARY_ONLY <- TRUE
source(file.path("reference", "trial-analysis.R"))
runs <- as.integer(commandArgs(trailingOnly = TRUE)[1])
seconds <- numeric(runs)
for (run in seq_len(runs)) {
  seconds[run] <- system.time({
    d <- type_dataset(read.csv("test/fixtures/data/trial-analysis-main.csv", stringsAsFactors = TRUE, na.strings = c("NA", "")))
    sae <- read.csv("test/fixtures/data/trial-analysis-main-sae.csv", stringsAsFactors = TRUE, na.strings = c("NA", ""))
    result <- analyse_trial(d, sae, resamples = 1000, seed = 1)
  })[["elapsed"]]
}
rr <- result$cace$risk_ratio
cat(sprintf('{"seconds": [%s], "cace": [%.17g, %.17g, %.17g]}\n',
            paste(sprintf("%.6f", seconds), collapse = ", "), rr$estimate, rr$ci_lower, rr$ci_upper))
