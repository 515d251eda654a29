# Reference values for src/stats/survival/ (Cox, Kaplan-Meier, log-rank), written to
# test/fixtures/survival.json. Run from the repository root: `Rscript reference/survival.R`.
#
# Every case is fitted on the CSV that enrich reads (write_dataset() writes it and reads it back), with
# survival's defaults: coxph(ties = "efron" unless stated, eps 1e-9, iter.max 20, timefix = TRUE),
# survfit(conf.type = "log", Greenwood), quantile.survfit() for the median, survdiff(rho = 0).
source(file.path("reference", "common.R"))
suppressPackageStartupMessages(library(survival))

na_to_null <- function(x) {
  x <- unname(as.numeric(x))
  x[!is.finite(x)] <- NA
  x
}

# ---- datasets -----------------------------------------------------------------------------------------

lung_data <- local({
  d <- survival::lung
  d$event <- d$status - 1 # enrich takes 0/1 events; lung codes 1 = censored, 2 = dead
  d$status <- NULL
  write_dataset(d, "lung")
})
ovarian_data <- local({
  d <- survival::ovarian
  d$rx_reversed <- 3 - d$rx # rx + rx_reversed is constant: aliased in a Cox model
  write_dataset(d, "ovarian")
})
aml_data <- write_dataset(survival::aml, "aml")
veteran_data <- local({
  d <- survival::veteran
  d$celltype <- as.character(d$celltype)
  write_dataset(d, "veteran")
})

# Therneau and Grambsch's test1 (survival/tests/book1.R); one NA status, so one row is dropped.
test1_data <- write_dataset(
  data.frame(time = c(9, 3, 1, 1, 6, 6, 8), status = c(1, NA, 1, 0, 1, 1, 0), x = c(0, 2, 1, 1, 1, 0, 0)),
  "therneau_test1"
)

# Many tied event times: 300 subjects, times on a grid of 12 values.
ties_data <- local({
  set.seed(20240611)
  n <- 300
  x1 <- round(rnorm(n), 3)
  x2 <- rbinom(n, 1, 0.4)
  arm <- sample(c("control", "low", "high"), n, replace = TRUE)
  rate <- exp(0.4 * x1 - 0.5 * x2 + ifelse(arm == "high", 0.6, ifelse(arm == "low", 0.3, 0)))
  event_time <- ceiling(rexp(n, rate) * 4)
  censor_time <- ceiling(runif(n, 2, 14))
  write_dataset(
    data.frame(
      time = pmin(event_time, censor_time, 12),
      event = as.integer(event_time <= pmin(censor_time, 12)),
      x1 = x1, x2 = x2, arm = arm
    ),
    "survival_ties"
  )
})

# Times that differ by less than sqrt(.Machine$double.eps) in absolute terms (aeqSurv makes them ties),
# next to a gap of 1e-7 that stays a gap.
timefix_small_data <- write_dataset(
  data.frame(
    time = c(1, 1.000000001, 2, 2.5, 2.500000002, 3, 3.0000001, 4, 5, 5.000000000004, 6, 7, 8, 9),
    event = c(1, 1, 0, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1),
    x = c(0.5, 1.2, -0.3, 0.8, 0.1, -1.1, 0.4, 1.5, -0.7, 0.2, 0.9, -0.4, 1.1, -0.2),
    arm = c("a", "b", "a", "b", "a", "b", "a", "b", "a", "b", "a", "b", "a", "b")
  ),
  "survival_timefix_small"
)
# Large times whose gaps of 1 are below sqrt(eps) relative to the mean time (aeqSurv's second rule).
timefix_large_data <- write_dataset(
  data.frame(
    time = c(1e8, 1e8 + 1, 1e8 + 50, 2e8, 2e8 + 1, 3e8, 3e8 + 5e3, 4e8, 5e8, 5e8 + 2, 6e8, 7e8),
    event = c(1, 1, 0, 1, 1, 1, 0, 1, 0, 1, 1, 1),
    x = c(0.3, -0.2, 1.1, 0.7, -1.3, 0.5, 0.2, -0.6, 1.4, 0.1, -0.9, 0.8)
  ),
  "survival_timefix_large"
)

# Monotone likelihood: every x = 1 subject dies before any x = 0 subject, so beta for x runs to infinity.
monotone_data <- write_dataset(
  data.frame(
    time = c(1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
    event = c(1, 1, 1, 1, 1, 0, 1, 1, 0, 1),
    x = c(1, 1, 1, 1, 0, 0, 0, 0, 0, 0),
    z = c(0.2, -0.5, 1.3, 0.4, -0.8, 0.9, 0.1, -1.2, 0.6, -0.3)
  ),
  "survival_monotone"
)

# Small KM shapes: a group with no events, a median never reached, a survival curve that sits at exactly
# 0.5 (midpoint rule), one that ends at exactly 0.5 (midpoint with the last time), and an empty level.
km_shapes_data <- write_dataset(
  data.frame(
    time = c(1, 2, 3, 4, 5, 6, 2, 4, 6, 8, 10, 12, 1, 2, 3, 4, 5, 2, 3, 5, 7, 9, 11, 13),
    event = c(1, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0, 1, 1),
    group = c(rep("exact", 6), rep("noevents", 6), rep("notreached", 5), rep("plain", 7))
  ),
  "survival_km_shapes"
)
km_halfend_data <- write_dataset(
  data.frame(time = c(1, 2, 3, 4), event = c(1, 1, 0, 0)),
  "survival_km_halfend"
)

# ---- case builders ------------------------------------------------------------------------------------

cox_case <- function(name, data, data_name, formula_text, ties = "efron", iter_max = 20) {
  formula <- as.formula(formula_text)
  warnings <- character()
  fit <- withCallingHandlers(
    coxph(formula, data = data, ties = ties, control = coxph.control(iter.max = iter_max)),
    warning = function(w) {
      warnings <<- c(warnings, conditionMessage(w))
      invokeRestart("muffleWarning")
    }
  )
  mf <- model.frame(formula, data = data)
  y <- model.response(mf)
  x <- model.matrix(fit)
  s <- summary(fit)
  beta <- coef(fit)
  se <- sqrt(diag(fit$var))
  se[is.na(beta)] <- NA
  z <- qnorm(0.975)
  df <- sum(!is.na(beta))
  wald <- fit$wald.test
  logtest <- -2 * (fit$loglik[1] - fit$loglik[2])
  list(
    name = name,
    kind = "cox",
    data = data_name,
    formula = formula_text,
    ties = ties,
    call = paste0(
      "coxph(", formula_text, ", data = ", data_name, ", ties = \"", ties, "\"",
      if (iter_max != 20) paste0(", control = coxph.control(iter.max = ", iter_max, ")") else "", ")"
    ),
    max_iterations = iter_max,
    model_matrix = list(column_names = I(colnames(x)), values = as.vector(x)),
    time = as.numeric(y[, 1]),
    event = as.numeric(y[, 2]),
    expected = list(
      n = fit$n,
      n_events = fit$nevent,
      n_dropped = nrow(data) - nrow(mf),
      ties = ties,
      coefficients = lapply(seq_along(beta), function(j) {
        list(
          term = names(beta)[j],
          estimate = num_or_null(beta[j]),
          hazard_ratio = num_or_null(exp(beta[j])),
          se = num_or_null(se[j]),
          statistic = num_or_null(beta[j] / se[j]),
          p_value = num_or_null(pchisq((beta[j] / se[j])^2, 1, lower.tail = FALSE)),
          ci_lower = num_or_null(beta[j] - z * se[j]),
          ci_upper = num_or_null(beta[j] + z * se[j])
        )
      }),
      log_likelihood = fit$loglik[2],
      null_log_likelihood = fit$loglik[1]
    ),
    expected_extra = list(
      iterations = fit$iter,
      warnings = I(warnings),
      wald_test = list(statistic = unname(wald), df = df, p_value = pchisq(unname(wald), df, lower.tail = FALSE)),
      likelihood_ratio_test = list(statistic = logtest, df = df, p_value = pchisq(logtest, df, lower.tail = FALSE)),
      score_test = list(statistic = unname(fit$score), df = df, p_value = pchisq(unname(fit$score), df, lower.tail = FALSE)),
      summary_logtest = unname(s$logtest[1]),
      summary_sctest = unname(s$sctest[1])
    )
  )
}

# Group labels as survfit/survdiff name strata (`var=level`), codes 0-based into all factor levels,
# including levels with no rows (which R drops from the output).
group_spec <- function(mf, variable) {
  values <- mf[[variable]]
  levels <- if (is.factor(values)) levels(values) else sort(unique(values))
  list(labels = I(paste0(variable, "=", levels)), codes = match(as.character(values), as.character(levels)) - 1L)
}

km_case <- function(name, data, data_name, formula_text, group_variable = NULL, levels = NULL) {
  formula <- as.formula(formula_text)
  if (!is.null(levels)) data[[group_variable]] <- factor(as.character(data[[group_variable]]), levels = levels)
  mf <- model.frame(formula, data = data)
  y <- model.response(mf)
  fit <- survfit(formula, data = data)
  q <- quantile(fit, probs = 0.5)
  strata_sizes <- if (is.null(fit$strata)) c(all = length(fit$time)) else fit$strata
  strata_names <- names(strata_sizes)
  end <- cumsum(strata_sizes)
  start <- end - strata_sizes + 1
  strata <- lapply(seq_along(strata_sizes), function(k) {
    rows <- start[k]:end[k]
    list(
      name = strata_names[k],
      n = fit$n[k],
      events = sum(fit$n.event[rows]),
      median = num_or_null(unname(q$quantile)[k]),
      median_ci_lower = num_or_null(unname(q$lower)[k]),
      median_ci_upper = num_or_null(unname(q$upper)[k]),
      table = lapply(rows, function(i) {
        list(
          time = fit$time[i],
          n_risk = fit$n.risk[i],
          n_event = fit$n.event[i],
          n_censor = fit$n.censor[i],
          survival = fit$surv[i],
          std_err = num_or_null(fit$std.err[i]),
          ci_lower = num_or_null(fit$lower[i]),
          ci_upper = num_or_null(fit$upper[i])
        )
      })
    )
  })
  # print.survfit's table, to show where its median rule (survmean's minmin) and quantile.survfit agree.
  printed <- summary(fit)$table
  if (is.null(dim(printed))) printed <- t(as.matrix(printed))
  case <- list(
    name = name,
    kind = "km",
    data = data_name,
    formula = formula_text,
    call = paste0("survfit(", formula_text, ", data = ", data_name, "); quantile(fit, 0.5)"),
    time = as.numeric(y[, 1]),
    event = as.numeric(y[, 2]),
    expected = list(n_dropped = nrow(data) - nrow(mf), strata = strata),
    expected_extra = list(print_median = na_to_null(printed[, "median"]))
  )
  if (!is.null(group_variable)) case$groups <- group_spec(mf, group_variable)
  case
}

logrank_case <- function(name, data, data_name, formula_text, group_variable, levels = NULL) {
  formula <- as.formula(formula_text)
  if (!is.null(levels)) data[[group_variable]] <- factor(as.character(data[[group_variable]]), levels = levels)
  mf <- model.frame(formula, data = data)
  y <- model.response(mf)
  fit <- survdiff(formula, data = data)
  expected_df <- sum(fit$exp > 0) - 1
  list(
    name = name,
    kind = "logrank",
    data = data_name,
    formula = formula_text,
    call = paste0("survdiff(", formula_text, ", data = ", data_name, ")"),
    time = as.numeric(y[, 1]),
    event = as.numeric(y[, 2]),
    groups = group_spec(mf, group_variable),
    expected = list(
      n_dropped = nrow(data) - nrow(mf),
      chisq = fit$chisq,
      df = expected_df,
      p_value = pchisq(fit$chisq, expected_df, lower.tail = FALSE),
      groups = lapply(seq_along(fit$n), function(k) {
        list(name = names(fit$n)[k], n = unname(as.numeric(fit$n[k])), observed = fit$obs[k], expected = fit$exp[k])
      })
    ),
    expected_extra = list(p_value_survdiff = fit$pvalue)
  )
}

# ---- cases --------------------------------------------------------------------------------------------

cases <- list(
  cox_case("lung_efron", lung_data, "lung", "Surv(time, event) ~ age + sex + ph.ecog"),
  cox_case("lung_breslow", lung_data, "lung", "Surv(time, event) ~ age + sex + ph.ecog", "breslow"),
  cox_case("lung_efron_iter2", lung_data, "lung", "Surv(time, event) ~ age + sex + ph.ecog", iter_max = 2),
  cox_case("ovarian_efron", ovarian_data, "ovarian", "Surv(futime, fustat) ~ age + rx + ecog.ps"),
  cox_case("ovarian_aliased", ovarian_data, "ovarian", "Surv(futime, fustat) ~ age + rx + rx_reversed"),
  cox_case("veteran_efron", veteran_data, "veteran", "Surv(time, status) ~ factor(celltype) + karno"),
  cox_case("veteran_breslow", veteran_data, "veteran", "Surv(time, status) ~ factor(celltype) + karno", "breslow"),
  cox_case("test1_efron", test1_data, "therneau_test1", "Surv(time, status) ~ x"),
  cox_case("test1_breslow", test1_data, "therneau_test1", "Surv(time, status) ~ x", "breslow"),
  cox_case("ties_efron", ties_data, "survival_ties", "Surv(time, event) ~ x1 + x2 + arm"),
  cox_case("ties_breslow", ties_data, "survival_ties", "Surv(time, event) ~ x1 + x2 + arm", "breslow"),
  cox_case("timefix_small_efron", timefix_small_data, "survival_timefix_small", "Surv(time, event) ~ x"),
  cox_case("timefix_large_efron", timefix_large_data, "survival_timefix_large", "Surv(time, event) ~ x"),
  cox_case("monotone_efron", monotone_data, "survival_monotone", "Surv(time, event) ~ x + z"),
  km_case("lung_km_overall", lung_data, "lung", "Surv(time, event) ~ 1"),
  km_case("lung_km_sex", lung_data, "lung", "Surv(time, event) ~ sex", "sex"),
  km_case("aml_km", aml_data, "aml", "Surv(time, status) ~ x", "x"),
  km_case("ovarian_km", ovarian_data, "ovarian", "Surv(futime, fustat) ~ rx", "rx"),
  km_case("veteran_km", veteran_data, "veteran", "Surv(time, status) ~ celltype", "celltype"),
  km_case("ties_km", ties_data, "survival_ties", "Surv(time, event) ~ arm", "arm"),
  km_case("timefix_small_km", timefix_small_data, "survival_timefix_small", "Surv(time, event) ~ arm", "arm"),
  km_case("timefix_large_km", timefix_large_data, "survival_timefix_large", "Surv(time, event) ~ 1"),
  km_case(
    "shapes_km", km_shapes_data, "survival_km_shapes", "Surv(time, event) ~ group", "group",
    levels = c("empty", "exact", "noevents", "notreached", "plain")
  ),
  km_case("halfend_km", km_halfend_data, "survival_km_halfend", "Surv(time, event) ~ 1"),
  logrank_case("aml_logrank", aml_data, "aml", "Surv(time, status) ~ x", "x"),
  logrank_case("lung_logrank", lung_data, "lung", "Surv(time, event) ~ sex", "sex"),
  logrank_case("ovarian_logrank", ovarian_data, "ovarian", "Surv(futime, fustat) ~ rx", "rx"),
  logrank_case("veteran_logrank", veteran_data, "veteran", "Surv(time, status) ~ celltype", "celltype"),
  logrank_case("ties_logrank", ties_data, "survival_ties", "Surv(time, event) ~ arm", "arm"),
  logrank_case("timefix_small_logrank", timefix_small_data, "survival_timefix_small", "Surv(time, event) ~ arm", "arm"),
  logrank_case(
    "shapes_logrank", km_shapes_data, "survival_km_shapes", "Surv(time, event) ~ group", "group",
    levels = c("empty", "exact", "noevents", "notreached", "plain")
  )
)
names(cases) <- NULL

write_fixture("survival", cases, packages = c("survival", "jsonlite"))
