# Times R's coxph on a CSV: Rscript bench/r/cox.R FILE.csv REPEATS
args <- commandArgs(trailingOnly = TRUE)
source(file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(), value = TRUE))), "measure.R"))
suppressPackageStartupMessages(library(survival))
data <- read.csv(args[1])
repeats <- as.integer(args[2])
formula <- Surv(time, event) ~ z1 + z2 + z3 + z4 + z5
before <- memory_mib()
reset_peak_memory()
fit <- coxph(formula, data = data)
seconds <- system.time(for (i in seq_len(repeats)) fit <- coxph(formula, data = data))[["elapsed"]]
report(seconds, repeats, before, coef(fit)[[1]])
