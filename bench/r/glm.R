# Times R's glm on a CSV: Rscript bench/r/glm.R FILE.csv REPEATS
args <- commandArgs(trailingOnly = TRUE)
source(file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(), value = TRUE))), "measure.R"))
data <- read.csv(args[1])
repeats <- as.integer(args[2])
formula <- y ~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10
before <- memory_mib()
reset_peak_memory()
fit <- glm(formula, family = binomial, data = data)
seconds <- system.time(for (i in seq_len(repeats)) fit <- glm(formula, family = binomial, data = data))[["elapsed"]]
report(seconds, repeats, before, coef(fit)[[2]])
