# Reference values for src/stats/random/ (R's RNG) and src/stats/bootstrap/ (boot::boot, boot::boot.ci),
# written to test/fixtures/bootstrap.json. Run from the repository root: `Rscript reference/bootstrap.R`.
#
# Default RNG kinds (Mersenne-Twister, Inversion, Rejection). Every bootstrap is
#   set.seed(seed); b <- boot(d, statistic, R, strata = ...)            # sim = "ordinary", stype = "i"
#   boot.ci(b, conf, type = c("norm", "basic", "perc", "bca"), index = j, L = empinf(b, index = j, type = "jack"))
# The statistics for `enrich boot` are the functions in `cli_statistics` below; docs/guides/bootstrap.md
# shows the same calls.
source(file.path("reference", "common.R"))
suppressPackageStartupMessages(library(boot))
stopifnot(RNGkind()[1:3] == c("Mersenne-Twister", "Inversion", "Rejection"))

# jsonlite 1.8.4 writes at most 15 significant digits whatever `digits` says, so values that must match
# bit for bit are written as strings with 17 significant digits (exact round trip); NA/NaN/Inf -> null.
exact <- function(x) {
  x <- unname(as.numeric(x))
  out <- sprintf("%.17g", x)
  out[!is.finite(x)] <- NA
  I(out)
}

# ---- R's random streams ----------------------------------------------------------------------------------

rng_cases <- list()
for (seed in c(1L, 42L, -7L, 0L, 2147483647L, 20240611L)) {
  set.seed(seed)
  random_seed <- .Random.seed
  rng_cases[[length(rng_cases) + 1]] <- list(
    seed = seed,
    random_seed = I(random_seed),
    runif = exact(runif(10)),
    runif_scaled = exact(runif(3, 2, 5)),
    sample_10 = I(sample.int(10, 25, TRUE)),
    sample_590 = I(sample.int(590, 25, TRUE)),
    sample_65536 = I(sample.int(65536, 25, TRUE)),
    sample_65537 = I(sample.int(65537, 25, TRUE)),
    sample_100000 = I(sample.int(100000, 25, TRUE)),
    sample_int_max = I(sample.int(2147483647L, 10, TRUE)),
    sample_1 = I(sample.int(1, 3, TRUE)),
    permutation_10 = I(sample.int(10)),
    without_replacement = I(sample.int(1000, 30)),
    sample_letters = I(sample(letters)),
    rnorm = exact(rnorm(10)),
    rnorm_scaled = exact(rnorm(5, 10, 2)),
    after = exact(runif(3))
  )
}
# A long stream crossing many regenerations of the 624-word block.
set.seed(2024)
long_stream <- list(seed = 2024L, runif = exact(runif(3000)), rnorm = exact(rnorm(3000)), sample = I(sample.int(7919, 3000, TRUE)))

# ---- datasets -------------------------------------------------------------------------------------------

# A two-arm trial: 200 participants at 4 sites, an outcome with 6 missing values, costs and visit counts.
trial <- local({
  set.seed(20240612)
  n <- 200
  arm <- sample(c("control", "peer"), n, replace = TRUE)
  site <- sample(1:4, n, replace = TRUE)
  outcome <- round(rnorm(n, 50 + 3 * (arm == "peer"), 10), 1)
  outcome[c(7, 33, 58, 101, 150, 199)] <- NA
  cost <- round(rgamma(n, shape = 2, rate = 2 / (900 - 120 * (arm == "peer"))), 2)
  visits <- rpois(n, 6) + 1
  write_dataset(data.frame(id = seq_len(n), arm, site, outcome, cost, visits), "bootstrap-trial")
})

# The statistics of `enrich boot`, exactly as the docs state them. Rows with a missing value in any used
# column are dropped first (complete.cases), then the statistic sees the kept rows in file order.
cli_statistics <- list(
  mean = function(d, i) mean(d$x[i]),
  median = function(d, i) median(d$x[i]),
  sd = function(d, i) sd(d$x[i]),
  "ratio-of-means" = function(d, i) mean(d$x[i]) / mean(d$y[i]),
  "difference-in-means" = function(d, i) {
    x <- d$x[i]
    g <- d$g[i]
    mean(x[g == levels(g)[2]]) - mean(x[g == levels(g)[1]])
  }
)


# Runs boot.ci for one index and records each interval and boot's warnings.
intervals <- function(b, index, conf) {
  L <- empinf(b, index = index, type = "jack")
  warnings <- character()
  ci <- withCallingHandlers(
    boot.ci(b, conf = conf, type = c("norm", "basic", "perc", "bca"), index = index, L = L),
    warning = function(w) {
      warnings <<- c(warnings, conditionMessage(w))
      invokeRestart("muffleWarning")
    }
  )
  t <- b$t[, index]
  t <- t[is.finite(t)]
  list(
    index = index,
    conf = conf,
    normal = exact(ci$normal[2:3]),
    basic = exact(ci$basic[4:5]),
    percent = exact(ci$percent[4:5]),
    bca = exact(ci$bca[4:5]),
    w = exact(qnorm(sum(t < b$t0[index]) / length(t))),
    a = exact(sum(L^3) / (6 * sum(L^2)^1.5)),
    influence = exact(L),
    warnings = I(warnings)
  )
}

summary_of <- function(b) {
  list(
    t0 = exact(b$t0),
    # as print.boot computes them
    bias = exact(apply(b$t, 2, mean, na.rm = TRUE) - b$t0),
    se = exact(sqrt(apply(b$t, 2, function(t) var(t[!is.na(t)]))))
  )
}

cli_case <- function(name, statistic, column, R, seed, column2 = NULL, group = NULL, strata = NULL,
                     conf = 0.95, store_t = TRUE) {
  used <- c(column, column2, group, strata)
  keep <- complete.cases(trial[, used, drop = FALSE])
  d <- data.frame(x = trial[[column]][keep])
  if (!is.null(column2)) d$y <- trial[[column2]][keep]
  if (!is.null(group)) d$g <- factor(trial[[group]][keep])
  strata_values <- if (is.null(strata)) rep(1, nrow(d)) else trial[[strata]][keep]
  set.seed(seed)
  b <- boot(d, cli_statistics[[statistic]], R = R, strata = strata_values)
  c(
    list(
      name = name, statistic = statistic, column = column, column2 = column2, group = group,
      strata = strata, R = R, seed = seed, n = nrow(d), n_dropped = sum(!keep)
    ),
    summary_of(b),
    list(intervals = list(intervals(b, 1, conf)), t = if (store_t) exact(b$t[, 1]) else NULL)
  )
}

boot_cases <- list(
  cli_case("mean of outcome, ordinary, R = 999", "mean", "outcome", 999, 1L),
  cli_case("mean of cost, ordinary, R = 2000, conf 0.9", "mean", "cost", 2000, 2L, conf = 0.9),
  cli_case("median of cost, ordinary, R = 2000", "median", "cost", 2000, 42L),
  cli_case("sd of outcome, stratified by arm, R = 999", "sd", "outcome", 999, 7L, strata = "arm"),
  cli_case("ratio of means cost / visits, R = 2000", "ratio-of-means", "cost", 2000, 3L, column2 = "visits"),
  cli_case("difference in mean outcome, stratified by arm, R = 2000", "difference-in-means", "outcome", 2000,
           2024L, group = "arm", strata = "arm"),
  cli_case("difference in mean cost, stratified by site (numeric), R = 999", "difference-in-means", "cost", 999,
           11L, group = "arm", strata = "site")
)

# ---- library-only cases ----------------------------------------------------------------------------------

# Index layout: boot.array() on small data, unstratified and with interleaved strata including a
# one-row stratum (boot keeps that row in every resample and draws nothing for it).
layout_cases <- local({
  x <- c(3.1, 4.7, 1.2, 9.9, 5.5, 6.0, 2.4, 8.8, 7.3, 0.5, 4.4, 3.3)
  strata <- c(2, 1, 2, 3, 1, 1, 2, 1, 2, 1, 2, 1) # stratum 3 has one row
  set.seed(99)
  plain <- boot(x, function(d, i) mean(d[i]), R = 6)
  set.seed(99)
  stratified <- boot(x, function(d, i) mean(d[i]), R = 6, strata = strata)
  list(
    x = exact(x), strata = I(strata),
    plain = list(seed = 99L, R = 6, indices = boot.array(plain, indices = TRUE), t = exact(plain$t)),
    stratified = list(seed = 99L, R = 6, indices = boot.array(stratified, indices = TRUE),
                      t = exact(stratified$t), influence = exact(empinf(stratified, type = "jack")))
  )
})

# A two-valued statistic (difference in mean cost, difference in mean outcome) stratified by arm, as the
# economic analysis uses it; intervals for index 1 and 2.
multi_case <- local({
  keep <- complete.cases(trial[, c("cost", "outcome", "arm")])
  d <- trial[keep, c("cost", "outcome", "arm")]
  statistic <- function(d, i) {
    e <- d[i, ]
    peer <- e$arm == "peer"
    c(mean(e$cost[peer]) - mean(e$cost[!peer]), mean(e$outcome[peer]) - mean(e$outcome[!peer]))
  }
  set.seed(5)
  b <- boot(d, statistic, R = 999, strata = d$arm)
  c(list(name = "cost and outcome differences, stratified by arm", R = 999, seed = 5L, n = nrow(d)),
    summary_of(b),
    list(intervals = list(intervals(b, 1, 0.95), intervals(b, 2, 0.95))))
})

# boot's city example (Davison & Hinkley) as a ratio with stype = "i", R = 999 after set.seed(1), at
# conf 0.90 and 0.95. (boot-Ex uses stype = "w" with the infinitesimal jackknife; this keeps stype "i"
# and the usual jackknife L, so the BCa end points differ slightly from the printed 1.292/1.957.)
city_case <- local({
  set.seed(1)
  b <- boot(city, function(d, i) sum(d$x[i]) / sum(d$u[i]), R = 999)
  c(list(name = "city ratio sum(x)/sum(u), R = 999", u = exact(city$u), x = exact(city$x), R = 999, seed = 1L),
    summary_of(b),
    list(intervals = list(intervals(b, 1, 0.9), intervals(b, 1, 0.95)), t = exact(b$t[, 1])))
})

# Few replicates: the 95% end points fall on the extreme order statistics (boot warns).
extreme_case <- local({
  x <- c(2.5, 3.1, 4.8, 1.9, 7.2, 5.0, 3.3, 6.1)
  set.seed(3)
  b <- boot(x, function(d, i) mean(d[i]), R = 19)
  c(list(name = "mean, R = 19: extreme order statistics", x = exact(x), R = 19, seed = 3L),
    summary_of(b), list(intervals = list(intervals(b, 1, 0.95)), t = exact(b$t[, 1])))
})

# The minimum: no replicate lies below t0, so BCa's w = qnorm(0) is infinite and boot.ci stops.
min_case <- local({
  x <- c(2.5, 3.1, 4.8, 1.9, 7.2, 5.0, 3.3, 6.1)
  set.seed(4)
  b <- boot(x, function(d, i) min(d[i]), R = 99)
  message <- tryCatch({
    boot.ci(b, type = "bca", L = empinf(b, type = "jack"))
    "no error"
  }, error = function(e) conditionMessage(e))
  list(name = "minimum: BCa impossible", x = exact(x), R = 99, seed = 4L, error = message,
       percent = exact(boot.ci(b, type = "perc")$percent[4:5]))
})

write_fixture(
  "bootstrap",
  list(
    rng = rng_cases,
    long_stream = long_stream,
    cli = boot_cases,
    layout = layout_cases,
    multi = multi_case,
    city = city_case,
    extreme = extreme_case,
    minimum = min_case
  ),
  packages = c("boot", "jsonlite")
)
