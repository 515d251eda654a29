# Reference values for enrich's meta-analysis (src/stats/meta-analysis, `enrich meta`).
# metafor 3.8-1: escalc (add = 1/2, to = "only0", vtype = "LS"), rma.uni, predict.rma, weights.rma.uni,
# leave1out.rma.uni, regtest (model = "rma", predictor = "sei").
# Every case's `expected` has the shape of `enrich meta --json`, so the unit tests and the CLI end-to-end
# test compare the same numbers. Run from the repository root: Rscript reference/meta-analysis.R
source(file.path("reference", "common.R"))
suppressPackageStartupMessages(library(metafor)) # also attaches metadat (dat.bcg, dat.normand1999, ...)

# ---- datasets, written as the CSV enrich reads and read back ---------------------------------------------
bcg <- with(dat.bcg, data.frame(
  study = paste(author, year),
  events1 = tpos, n1 = tpos + tneg, events2 = cpos, n2 = cpos + cneg,
  alloc = as.character(alloc),
  # a subgroup column in which one subgroup holds a single study
  design = ifelse(seq_along(trial) == 1, "historical", as.character(alloc)),
  stringsAsFactors = FALSE
))
bcg <- write_dataset(bcg, "meta-bcg")

normand <- with(dat.normand1999, data.frame(
  study = as.character(source),
  mean1 = m1i, sd1 = sd1i, n1 = n1i, mean2 = m2i, sd2 = sd2i, n2 = n2i,
  stringsAsFactors = FALSE
))
normand <- write_dataset(normand, "meta-normand")
normand2 <- write_dataset(normand[1:2, ], "meta-normand-k2")

molloy <- escalc("ZCOR", ri = ri, ni = ni, data = dat.molloy2014)
generic <- data.frame(study = paste(molloy$authors, molloy$year), yi = round(c(molloy$yi), 6),
                      vi = round(c(molloy$vi), 8), design = as.character(molloy$design))
generic <- write_dataset(generic, "meta-generic")

# Zero cells: a zero in one arm, a zero in the other, both arms zero, and all events in one arm.
zero <- data.frame(
  study = c("Adams 2001", "Baker 2004", "Chen 2008", "Diaz 2011", "Evans 2015", "Fox 2019"),
  events1 = c(0, 3, 0, 12, 7, 15), n1 = c(25, 40, 18, 60, 33, 15),
  events2 = c(4, 0, 0, 19, 11, 14), n2 = c(24, 38, 20, 58, 35, 16)
)
zero <- write_dataset(zero, "meta-zero-cells")

single <- write_dataset(bcg[4, c("study", "events1", "n1", "events2", "n2")], "meta-single")

# Homogeneous effects: Q < k - 1, so every estimator gives tau^2 = 0.
homogeneous <- data.frame(
  study = c("Study A", "Study B", "Study C", "Study D", "Study E"),
  yi = c(0.21, 0.18, 0.25, 0.2, 0.22), vi = c(0.012, 0.02, 0.015, 0.018, 0.01)
)
homogeneous <- write_dataset(homogeneous, "meta-homogeneous")

# The illustrative peer-support examples of docs/guides/meta-analysis.md (invented study data).
guide_hospitalisation <- write_dataset(
  utils::read.csv(file.path("docs", "guides", "data", "peer-support-hospitalisation.csv")),
  "meta-guide-hospitalisation"
)
guide_recovery <- write_dataset(
  utils::read.csv(file.path("docs", "guides", "data", "peer-support-recovery.csv")),
  "meta-guide-recovery"
)

# ---- the CLI JSON shape ------------------------------------------------------------------------------------
ratio_measures <- c("RR", "OR")

escalc_for <- function(data, measure) {
  if (measure %in% c("RR", "OR", "RD")) {
    escalc(measure, ai = events1, n1i = n1, ci = events2, n2i = n2, data = data)
  } else if (measure %in% c("SMD", "MD")) {
    escalc(measure, m1i = mean1, sd1i = sd1, n1i = n1, m2i = mean2, sd2i = sd2, n2i = n2, data = data)
  } else {
    escalc(yi = yi, vi = vi, data = data, measure = "GEN")
  }
}

pooled <- function(fit, measure) {
  k <- fit$k
  is_fe <- fit$method %in% c("FE", "EE")
  pred <- predict(fit)
  pi <- if (is_fe || is.null(pred$pi.lb)) c(pred$ci.lb, pred$ci.ub) else c(pred$pi.lb, pred$pi.ub)
  out <- list(
    k = k,
    estimate = c(fit$beta), se = fit$se, statistic = fit$zval, p_value = fit$pval,
    ci_lower = fit$ci.lb, ci_upper = fit$ci.ub,
    tau2 = fit$tau2, tau2_se = num_or_null(fit$se.tau2), tau = sqrt(fit$tau2),
    I2 = fit$I2, H2 = fit$H2, Q = fit$QE, Q_df = k - fit$p, Q_p_value = fit$QEp,
    pi_lower = pi[1], pi_upper = pi[2]
  )
  if (measure %in% ratio_measures) {
    out$exp <- list(estimate = exp(c(fit$beta)), ci_lower = exp(fit$ci.lb), ci_upper = exp(fit$ci.ub),
                    pi_lower = exp(pi[1]), pi_upper = exp(pi[2]))
  }
  out
}

expected_for <- function(data, measure, method, test, subgroup = NULL, leave_one_out = FALSE) {
  es <- escalc_for(data, measure)
  fit <- rma(yi, vi, data = es, method = method, test = test)
  top <- pooled(fit, measure)
  crit <- qnorm(0.975)
  studies <- lapply(seq_len(nrow(es)), function(i) {
    row <- list(study = as.character(data$study[i]), yi = es$yi[i], vi = es$vi[i],
                weight = unname(weights(fit)[i]),
                ci_lower = es$yi[i] - crit * sqrt(es$vi[i]), ci_upper = es$yi[i] + crit * sqrt(es$vi[i]))
    if (!is.null(subgroup)) row$subgroup <- as.character(data[[subgroup]][i])
    row
  })
  out <- c(list(k = top$k, measure = measure, method = method, test = test), top[-1])
  out$studies <- studies
  if (!is.null(subgroup)) {
    levels <- sort(unique(as.character(data[[subgroup]])))
    groups <- lapply(levels, function(level) {
      fit_g <- suppressWarnings(rma(yi, vi, data = es, method = method, test = test,
                                    subset = as.character(data[[subgroup]]) == level))
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
  if (fit$k >= 3) {
    egger <- regtest(fit)
    out$egger <- list(statistic = egger$zval, df = num_or_null(egger$ddf), p_value = egger$pval,
                      limit_estimate = unname(egger$est), limit_ci_lower = egger$ci.lb,
                      limit_ci_upper = egger$ci.ub)
  }
  if (leave_one_out) {
    l1o <- leave1out(fit)
    out$leave_one_out <- lapply(seq_len(fit$k), function(i) {
      list(study = as.character(data$study[i]), estimate = l1o$estimate[i], se = l1o$se[i],
           statistic = if (test == "knha") l1o$tval[i] else l1o$zval[i], p_value = l1o$pval[i],
           ci_lower = l1o$ci.lb[i], ci_upper = l1o$ci.ub[i], Q = l1o$Q[i], Q_p_value = l1o$Qp[i],
           tau2 = if (method == "FE") 0 else l1o$tau2[i], I2 = l1o$I2[i], H2 = l1o$H2[i])
    })
  }
  out
}

case <- function(name, data_name, data, measure, method = "REML", test = "z", subgroup = NULL,
                 leave_one_out = FALSE) {
  columns <- c("study", if (measure %in% c("RR", "OR", "RD")) c("events1", "n1", "events2", "n2")
               else if (measure %in% c("SMD", "MD")) c("mean1", "sd1", "n1", "mean2", "sd2", "n2")
               else c("yi", "vi"), subgroup)
  # the columns as enrich reads them from the CSV, so the unit tests need no CSV reader
  input <- lapply(data[columns], function(x) if (is.numeric(x)) I(x) else I(as.character(x)))
  list(name = name, data = data_name, measure = measure, method = method, test = test,
       subgroup = subgroup, leave_one_out = leave_one_out, input = input,
       expected = expected_for(data, measure, method, test, subgroup, leave_one_out))
}

cases <- list(
  case("bcg_rr_reml", "meta-bcg", bcg, "RR", "REML", subgroup = "alloc", leave_one_out = TRUE),
  case("bcg_rr_reml_knha", "meta-bcg", bcg, "RR", "REML", "knha"),
  case("bcg_rr_dl", "meta-bcg", bcg, "RR", "DL"),
  case("bcg_rr_dl_knha", "meta-bcg", bcg, "RR", "DL", "knha", leave_one_out = TRUE),
  case("bcg_rr_fe", "meta-bcg", bcg, "RR", "FE", subgroup = "alloc", leave_one_out = TRUE),
  case("bcg_rr_ml", "meta-bcg", bcg, "RR", "ML"),
  case("bcg_rr_pm", "meta-bcg", bcg, "RR", "PM", leave_one_out = TRUE),
  case("bcg_rr_he", "meta-bcg", bcg, "RR", "HE"),
  case("bcg_rr_sj", "meta-bcg", bcg, "RR", "SJ"),
  case("bcg_or_reml", "meta-bcg", bcg, "OR", "REML"),
  case("bcg_rd_dl", "meta-bcg", bcg, "RD", "DL"),
  case("bcg_rd_reml", "meta-bcg", bcg, "RD", "REML"),
  case("bcg_rr_subgroup_single_reml", "meta-bcg", bcg, "RR", "REML", subgroup = "design"),
  case("bcg_rr_subgroup_single_knha", "meta-bcg", bcg, "RR", "DL", "knha", subgroup = "design"),
  case("normand_smd_reml", "meta-normand", normand, "SMD", "REML", leave_one_out = TRUE),
  case("normand_md_dl", "meta-normand", normand, "MD", "DL"),
  case("normand_smd_pm_knha", "meta-normand", normand, "SMD", "PM", "knha"),
  case("normand_smd_sj", "meta-normand", normand, "SMD", "SJ"),
  case("normand_md_ml", "meta-normand", normand, "MD", "ML"),
  case("normand_k2_smd_reml", "meta-normand-k2", normand2, "SMD", "REML", leave_one_out = TRUE),
  case("normand_k2_smd_dl_knha", "meta-normand-k2", normand2, "SMD", "DL", "knha"),
  case("generic_reml", "meta-generic", generic, "GEN", "REML", subgroup = "design", leave_one_out = TRUE),
  case("generic_fe", "meta-generic", generic, "GEN", "FE"),
  case("generic_he_knha", "meta-generic", generic, "GEN", "HE", "knha"),
  case("generic_pm", "meta-generic", generic, "GEN", "PM"),
  case("zero_cells_rr_reml", "meta-zero-cells", zero, "RR", "REML"),
  case("zero_cells_or_dl", "meta-zero-cells", zero, "OR", "DL"),
  case("zero_cells_rd_fe", "meta-zero-cells", zero, "RD", "FE"),
  case("single_rr_fe", "meta-single", single, "RR", "FE"),
  case("homogeneous_reml", "meta-homogeneous", homogeneous, "GEN", "REML", leave_one_out = TRUE),
  case("homogeneous_dl", "meta-homogeneous", homogeneous, "GEN", "DL"),
  case("homogeneous_pm", "meta-homogeneous", homogeneous, "GEN", "PM"),
  case("homogeneous_ml_knha", "meta-homogeneous", homogeneous, "GEN", "ML", "knha"),
  case("guide_hospitalisation_rr_reml", "meta-guide-hospitalisation", guide_hospitalisation, "RR", "REML",
       subgroup = "setting", leave_one_out = TRUE),
  case("guide_recovery_smd_reml", "meta-guide-recovery", guide_recovery, "SMD", "REML"),
  case("guide_recovery_smd_reml_knha", "meta-guide-recovery", guide_recovery, "SMD", "REML", "knha")
)

write_fixture("meta-analysis", cases, packages = c("metafor"))

# R's uniroot (zeroin), which metafor uses for the Paule-Mandel tau^2: root, iterations, estimated precision.
uniroot_case <- function(name, f, lower, upper, tol) {
  r <- uniroot(f, c(lower, upper), tol = tol)
  list(name = name, lower = lower, upper = upper, tol = tol, root = r$root, iterations = r$iter,
       estimated_precision = r$estim.prec)
}
write_fixture("meta-analysis-uniroot", list(
  uniroot_case("sqrt2", function(x) x^2 - 2, 0, 2, 1e-12),
  uniroot_case("cos_fixed_point", function(x) cos(x) - x, -1, 3, .Machine$double.eps^0.25),
  uniroot_case("cubic", function(x) x^3 - 2 * x - 5, 2, 3, 1e-9)
))
# write_fixture names the script after the fixture; this one comes from meta-analysis.R
uniroot_path <- file.path(fixture_dir, "meta-analysis-uniroot.json")
writeLines(sub('"reference/meta-analysis-uniroot.R"', '"reference/meta-analysis.R"', readLines(uniroot_path),
               fixed = TRUE), uniroot_path)
