# Reference values for enrich's Mantel-Haenszel and Peto pooling (src/stats/meta-analysis/mantel-haenszel.ts,
# `enrich meta --method MH|PETO`). metafor 3.8-1: rma.mh (measure RR, OR, RD) and rma.peto with their
# defaults (add = 1/2, to = "only0", drop00 = TRUE for the study effect sizes and Q; the pooled estimate
# from the unmodified tables), weights.rma.mh / weights.rma.peto, predict, leave1out.
# Every case's `expected` has the shape of `enrich meta --json`.
# Run from the repository root: Rscript reference/meta-analysis-mh.R. It first runs
# reference/meta-analysis.R (deterministic), which writes the CSV files shared with it, so the two
# fixtures are always computed from the same files whatever order run-all.sh takes.
source(file.path("reference", "meta-analysis.R"), local = new.env())
source(file.path("reference", "common.R"))
suppressPackageStartupMessages(library(metafor))

read_dataset <- function(name) {
  utils::read.csv(file.path(data_dir, paste0(name, ".csv")), stringsAsFactors = TRUE, na.strings = c("NA", ""))
}
bcg <- read_dataset("meta-bcg")
single <- read_dataset("meta-single")
zero <- read_dataset("meta-zero-cells")
guide_hospitalisation <- read_dataset("meta-guide-hospitalisation")
bcg2 <- write_dataset(bcg[1:2, c("study", "events1", "n1", "events2", "n2")], "meta-bcg-k2")

# Sparse tables: zero cells in one arm, a study with no events in either arm, a study in which everyone
# had the event in both arms (both dropped from the study effect sizes and Q by drop00, both kept in the
# Mantel-Haenszel sums), and a study with all events in one arm only.
sparse <- data.frame(
  study = c("Abel 1999", "Berg 2003", "Cruz 2006", "Dunn 2010", "Ek 2013", "Fahy 2017", "Gray 2020"),
  events1 = c(0, 2, 0, 9, 10, 20, 5), n1 = c(30, 41, 22, 64, 10, 20, 48),
  events2 = c(3, 0, 0, 16, 12, 18, 9), n2 = c(29, 40, 25, 61, 12, 22, 50),
  arm = c("a", "a", "a", "b", "b", "b", "b")
)
sparse <- write_dataset(sparse, "meta-mh-sparse")

# Two trials with events in one arm each: leaving either out leaves an MH RR and OR that are not
# estimable (leave1out gives NA, enrich null).
rare <- write_dataset(data.frame(study = c("Xu 2012", "Yates 2016"), events1 = c(3, 0), n1 = c(20, 20),
                                 events2 = c(0, 4), n2 = c(20, 20)), "meta-mh-rare-k2")

ratio_measures <- c("RR", "OR")

fit_for <- function(data, measure, method, subset = NULL) {
  if (is.null(subset)) subset <- rep(TRUE, nrow(data))
  d <- data[subset, , drop = FALSE]
  if (method == "PETO") {
    rma.peto(ai = events1, n1i = n1, ci = events2, n2i = n2, data = d, slab = as.character(study))
  } else {
    rma.mh(measure = measure, ai = events1, n1i = n1, ci = events2, n2i = n2, data = d,
           slab = as.character(study))
  }
}

# the pooled summary of an rma.mh / rma.peto fit (tau^2 = 0; the prediction interval is the CI)
pooled <- function(fit, measure) {
  pred <- predict(fit)
  out <- list(
    k = fit$k,
    estimate = c(fit$beta), se = fit$se, statistic = fit$zval, p_value = fit$pval,
    ci_lower = fit$ci.lb, ci_upper = fit$ci.ub,
    tau2 = 0, tau2_se = NULL, tau = 0,
    I2 = fit$I2, H2 = fit$H2, Q = fit$QE, Q_df = max(fit$k.yi - 1, 0), Q_p_value = fit$QEp,
    pi_lower = pred$ci.lb, pi_upper = pred$ci.ub
  )
  if (measure %in% ratio_measures) {
    out$exp <- list(estimate = exp(c(fit$beta)), ci_lower = exp(fit$ci.lb), ci_upper = exp(fit$ci.ub),
                    pi_lower = exp(pred$ci.lb), pi_upper = exp(pred$ci.ub))
  }
  out
}

test_entry <- function(statistic, df, p) {
  if (is.na(statistic)) return(NULL)
  list(statistic = statistic, df = df, p_value = if (is.na(p)) NULL else p)
}

expected_for <- function(data, measure, method, subgroup = NULL, leave_one_out = FALSE) {
  fit <- fit_for(data, measure, method)
  top <- pooled(fit, measure)
  crit <- qnorm(0.975)
  w <- weights(fit)
  studies <- lapply(seq_len(nrow(data)), function(i) {
    yi <- fit$yi.f[i]
    vi <- fit$vi.f[i]
    row <- list(study = as.character(data$study[i]), yi = yi, vi = vi, weight = unname(w[i]),
                ci_lower = yi - crit * sqrt(vi), ci_upper = yi + crit * sqrt(vi))
    if (!is.null(subgroup)) row$subgroup <- as.character(data[[subgroup]][i])
    row
  })
  out <- c(list(k = top$k, measure = measure, method = method, test = "z"), top[-1])
  out$studies <- studies
  if (method == "MH" && measure == "OR") {
    # a test that is not computable for the data is left out, as enrich leaves it out
    out$mh_tests <- Filter(Negate(is.null), list(
      cmh = test_entry(fit$MH, 1, fit$MHp),
      cochran = test_entry(fit$CO, 1, fit$COp),
      breslow_day = test_entry(fit$BD, fit$k.pos - 1, fit$BDp),
      tarone = test_entry(fit$TA, fit$k.pos - 1, fit$TAp)
    ))
  }
  if (!is.null(subgroup)) {
    levels <- sort(unique(as.character(data[[subgroup]])))
    groups <- lapply(levels, function(level) {
      fit_g <- suppressWarnings(fit_for(data, measure, method, as.character(data[[subgroup]]) == level))
      c(list(name = level), pooled(fit_g, measure))
    })
    estimates <- vapply(groups, function(g) g$estimate, numeric(1))
    ses <- vapply(groups, function(g) g$se, numeric(1))
    between <- if (length(levels) >= 2) rma(estimates, sei = ses, method = "FE") else NULL
    out$subgroups <- list(
      column = subgroup,
      groups = groups,
      test = if (is.null(between)) NULL else list(Q = between$QE, df = length(levels) - 1, p_value = between$QEp)
    )
  }
  if (leave_one_out) {
    l1o <- suppressWarnings(leave1out(fit))
    out$leave_one_out <- lapply(seq_len(fit$k), function(i) {
      list(study = as.character(data$study[i]), estimate = l1o$estimate[i], se = l1o$se[i],
           statistic = l1o$zval[i], p_value = l1o$pval[i], ci_lower = l1o$ci.lb[i], ci_upper = l1o$ci.ub[i],
           Q = l1o$Q[i], Q_p_value = l1o$Qp[i], tau2 = 0, I2 = l1o$I2[i], H2 = l1o$H2[i])
    })
  }
  out
}

case <- function(name, data_name, data, measure, method, subgroup = NULL, leave_one_out = FALSE) {
  columns <- c("study", "events1", "n1", "events2", "n2", subgroup)
  input <- lapply(data[columns], function(x) if (is.numeric(x)) I(x) else I(as.character(x)))
  list(name = name, data = data_name, measure = measure, method = method, test = "z",
       subgroup = subgroup, leave_one_out = leave_one_out, input = input,
       expected = expected_for(data, measure, method, subgroup, leave_one_out))
}

cases <- list(
  case("bcg_or_mh", "meta-bcg", bcg, "OR", "MH", subgroup = "alloc", leave_one_out = TRUE),
  case("bcg_rr_mh", "meta-bcg", bcg, "RR", "MH", subgroup = "alloc", leave_one_out = TRUE),
  case("bcg_rd_mh", "meta-bcg", bcg, "RD", "MH", subgroup = "alloc", leave_one_out = TRUE),
  case("bcg_or_peto", "meta-bcg", bcg, "OR", "PETO", subgroup = "alloc", leave_one_out = TRUE),
  case("sparse_or_mh", "meta-mh-sparse", sparse, "OR", "MH", subgroup = "arm", leave_one_out = TRUE),
  case("sparse_rr_mh", "meta-mh-sparse", sparse, "RR", "MH", subgroup = "arm", leave_one_out = TRUE),
  case("sparse_rd_mh", "meta-mh-sparse", sparse, "RD", "MH", subgroup = "arm", leave_one_out = TRUE),
  case("sparse_or_peto", "meta-mh-sparse", sparse, "OR", "PETO", subgroup = "arm", leave_one_out = TRUE),
  case("zero_cells_or_mh", "meta-zero-cells", zero, "OR", "MH"),
  case("zero_cells_rr_mh", "meta-zero-cells", zero, "RR", "MH"),
  case("zero_cells_rd_mh", "meta-zero-cells", zero, "RD", "MH"),
  case("zero_cells_or_peto", "meta-zero-cells", zero, "OR", "PETO"),
  case("single_or_mh", "meta-single", single, "OR", "MH"),
  case("single_rr_mh", "meta-single", single, "RR", "MH"),
  case("single_rd_mh", "meta-single", single, "RD", "MH"),
  case("single_or_peto", "meta-single", single, "OR", "PETO"),
  case("bcg_k2_or_mh", "meta-bcg-k2", bcg2, "OR", "MH", leave_one_out = TRUE),
  case("bcg_k2_rr_mh", "meta-bcg-k2", bcg2, "RR", "MH", leave_one_out = TRUE),
  case("bcg_k2_rd_mh", "meta-bcg-k2", bcg2, "RD", "MH", leave_one_out = TRUE),
  case("bcg_k2_or_peto", "meta-bcg-k2", bcg2, "OR", "PETO", leave_one_out = TRUE),
  case("rare_k2_rr_mh", "meta-mh-rare-k2", rare, "RR", "MH", leave_one_out = TRUE),
  case("rare_k2_or_mh", "meta-mh-rare-k2", rare, "OR", "MH", leave_one_out = TRUE),
  case("rare_k2_or_peto", "meta-mh-rare-k2", rare, "OR", "PETO", leave_one_out = TRUE),
  case("guide_hospitalisation_rr_mh", "meta-guide-hospitalisation", guide_hospitalisation, "RR", "MH",
       subgroup = "setting", leave_one_out = TRUE)
)

write_fixture("meta-analysis-mh", cases, packages = c("metafor"))
