# R side of bench/economics.ts: the economic evaluation of reference/economics.R (costs, Gamma-log GLM with
# recycled predictions, lm for QALYs, 1,000-resample stratified bootstrap refitting both, percentile CIs,
# CEAC) on the 590-participant simulated fixture, timed in-process (reading the CSV files included; R
# start-up and package loading excluded).
# Usage (from the repository root): Rscript bench/r/economics.R RUNS -> one JSON line
#   {"seconds": [...], "cost_difference": [estimate, lower, upper]}
ECONOMICS_LIBRARY_ONLY <- TRUE
source(file.path("reference", "economics.R"))
runs <- as.integer(commandArgs(trailingOnly = TRUE)[1])
seconds <- numeric(runs)
for (run in seq_len(runs)) {
  seconds[run] <- system.time({
    d <- type_dataset(read.csv("test/fixtures/data/economics-simulated.csv", na.strings = c("NA", "")))
    unit_costs <- read.csv("docs/guides/data/unit-costs-illustrative.csv")
    result <- economic_evaluation(d, unit_costs, R = 1000, seed = 1)
  })[["elapsed"]]
}
cat(sprintf('{"seconds": [%s], "cost_difference": [%.17g, %.17g, %.17g]}\n',
            paste(sprintf("%.6f", seconds), collapse = ", "), result$result$cost_difference,
            result$bootstrap$cost_ci[1], result$bootstrap$cost_ci[2]))
