# Reference values for the GLM engine (src/stats/models/glm.ts, negative-binomial.ts, robust-covariance.ts).
# Run from the repository root: `Rscript reference/glm.R`. Writes test/fixtures/glm.json and the datasets in
# test/fixtures/data/. Each case records the model matrix R fitted (after na.omit), the response, and the
# expected result in the CLI's JSON shape, so unit tests (design in) and CLI tests (CSV + formula in) share it.
source(file.path("reference", "common.R"))
suppressPackageStartupMessages({
  library(MASS)
  library(sandwich)
})

confidence_level <- 0.95

# Runs `expr`, collecting R's warning messages (deduplicated, in order of first occurrence) instead of printing.
with_warnings <- function(expr) {
  messages <- character()
  value <- withCallingHandlers(expr, warning = function(w) {
    messages <<- c(messages, conditionMessage(w))
    invokeRestart("muffleWarning")
  })
  list(value = value, warnings = unique(messages))
}

# The expected result of one fit, in the CLI's snake_case JSON shape.
expected_result <- function(fit, family_name, link, robust, warnings, n_total) {
  is_negbin <- inherits(fit, "negbin")
  estimated_dispersion <- family_name %in% c("gaussian", "Gamma")
  summary_fit <- if (is_negbin) summary(fit, dispersion = 1) else summary(fit)
  beta <- coef(fit)
  table <- coef(summary_fit)
  se <- rep(NA_real_, length(beta))
  names(se) <- names(beta)
  se[rownames(table)] <- table[, "Std. Error"]
  use_t <- estimated_dispersion && is.null(robust)
  if (!is.null(robust)) {
    covariance <- vcovHC(fit, type = robust)
    se[rownames(covariance)] <- sqrt(diag(covariance))
  }
  statistic <- beta / se
  p_value <- if (use_t) 2 * pt(-abs(statistic), fit$df.residual) else 2 * pnorm(-abs(statistic))
  quantile <- if (use_t) qt(1 - (1 - confidence_level) / 2, fit$df.residual) else qnorm(1 - (1 - confidence_level) / 2)
  coefficients <- lapply(seq_along(beta), function(j) {
    list(
      term = names(beta)[j],
      estimate = num_or_null(beta[j]),
      se = num_or_null(se[j]),
      statistic = num_or_null(statistic[j]),
      p_value = num_or_null(p_value[j]),
      ci_lower = num_or_null(beta[j] - quantile * se[j]),
      ci_upper = num_or_null(beta[j] + quantile * se[j])
    )
  })
  result <- list(
    n = nobs(fit),
    n_dropped = n_total - nobs(fit),
    family = family_name,
    link = link,
    coefficients = coefficients,
    deviance = fit$deviance,
    null_deviance = fit$null.deviance,
    df_residual = fit$df.residual,
    aic = num_or_null(fit$aic),
    log_likelihood = num_or_null(as.numeric(logLik(fit))),
    dispersion = summary_fit$dispersion,
    iterations = fit$iter,
    converged = fit$converged,
    warnings = I(warnings)
  )
  if (is_negbin) {
    result$theta <- fit$theta
    result$theta_se <- fit$SE.theta
  }
  result
}

# Fits one case the way R users would and records input and expected output.
run_case <- function(name, data, data_name, formula, family_name, link, robust = NULL) {
  formula_object <- as.formula(formula)
  fitted <- with_warnings(
    if (family_name == "negbin") {
      glm.nb(formula_object, data = data, link = log)
    } else {
      family_object <- get(family_name, mode = "function")(link = link)
      glm(formula_object, family = family_object, data = data)
    }
  )
  fit <- fitted$value
  warnings <- fitted$warnings
  if (!is.null(robust)) {
    hc <- with_warnings(vcovHC(fit, type = robust))
    warnings <- unique(c(warnings, hc$warnings))
  }
  design <- model.matrix(fit)
  list(
    name = name,
    data = paste0(data_name, ".csv"),
    formula = formula,
    family = family_name,
    link = link,
    robust = robust,
    confidence_level = confidence_level,
    model_matrix = list(
      column_names = I(colnames(design)),
      assign = I(attr(design, "assign")),
      has_intercept = attr(terms(fit), "intercept") == 1,
      row_count = nrow(design),
      values = I(as.vector(design))
    ),
    response = I(as.vector(fit$y)),
    row_numbers = I(as.integer(rownames(design))),
    expected = expected_result(fit, family_name, link, robust, warnings, nrow(data))
  )
}

cases <- list()
add <- function(...) cases[[length(cases) + 1L]] <<- run_case(...)

# --- Datasets -------------------------------------------------------------------------------------------
birthwt <- write_dataset(MASS::birthwt, "birthwt")
warpbreaks_data <- write_dataset(datasets::warpbreaks, "warpbreaks")
mtcars_data <- write_dataset(datasets::mtcars, "mtcars")
quine <- write_dataset(MASS::quine, "quine")
airquality_data <- write_dataset(datasets::airquality, "airquality")
# McCullagh & Nelder (1989, p. 300) clotting times, as in ?glm; log(u) precomputed so the formula stays simple.
clotting <- write_dataset(data.frame(
  u = c(5, 10, 15, 20, 30, 40, 60, 80, 100),
  log_u = round(log(c(5, 10, 15, 20, 30, 40, 60, 80, 100)), 6),
  lot1 = c(118, 58, 42, 35, 27, 25, 21, 19, 18),
  lot2 = c(69, 35, 26, 21, 18, 16, 13, 12, 12)
), "clotting")

# A simulated trial: arm (control / peer), age, site, 0/1 readmission and a count of bed days with many zeros.
set.seed(20240611)
n_trial <- 300
arm <- sample(rep(c("control", "peer"), each = n_trial / 2))
age <- round(rnorm(n_trial, 42, 12))
site <- sample(sprintf("S%02d", 1:4), n_trial, replace = TRUE)
baseline <- round(rnorm(n_trial, 20, 6), 1)
risk <- plogis(-1.2 - 0.5 * (arm == "peer") + 0.02 * (age - 42) + 0.04 * (baseline - 20))
readmitted <- rbinom(n_trial, 1, risk)
bed_days <- rnbinom(n_trial, size = 0.6, mu = exp(0.8 - 0.4 * (arm == "peer") + 0.03 * (baseline - 20)))
support_hours <- bed_days * 0.5 # non-integer counts (half hours), overdispersed
trial <- write_dataset(data.frame(arm, age, site, baseline, readmitted, bed_days, support_hours), "glm-trial")

# Collinear covariates: `risk_total` is exactly smoke + ht, so its coefficient is aliased.
aliased <- MASS::birthwt[, c("low", "age", "smoke", "ht", "lwt")]
aliased$risk_total <- aliased$smoke + aliased$ht
aliased <- write_dataset(aliased, "birthwt-aliased")

# Complete separation: dose above 3 always responds.
separation <- write_dataset(data.frame(
  dose = c(1, 1.5, 2, 2.2, 2.5, 2.8, 3, 3.2, 3.5, 3.8, 4, 4.5, 5, 5.5),
  group = c("a", "b", "a", "b", "a", "b", "a", "b", "a", "b", "a", "b", "a", "b"),
  response = c(0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1)
), "glm-separation")

# A factor with 25 levels (one per ward), binary outcome.
set.seed(7)
n_wards <- 25
ward <- sprintf("W%02d", rep(seq_len(n_wards), each = 16))
ward_effect <- rnorm(n_wards, 0, 0.6)[rep(seq_len(n_wards), each = 16)]
dose <- round(runif(length(ward), 0, 10), 2)
event <- rbinom(length(ward), 1, plogis(-0.8 + 0.15 * (dose - 5) + ward_effect))
wards <- write_dataset(data.frame(ward, dose, event), "glm-wards")

# --- Cases ----------------------------------------------------------------------------------------------
birthwt_formula <- "low ~ age + lwt + factor(race) + smoke + ptl + ht + ui"
add("birthwt-logit", birthwt, "birthwt", birthwt_formula, "binomial", "logit")
add("birthwt-probit", birthwt, "birthwt", birthwt_formula, "binomial", "probit")
add("birthwt-cloglog", birthwt, "birthwt", birthwt_formula, "binomial", "cloglog")
add("warpbreaks-poisson", warpbreaks_data, "warpbreaks", "breaks ~ wool * tension", "poisson", "log")
add("warpbreaks-poisson-sqrt", warpbreaks_data, "warpbreaks", "breaks ~ wool + tension", "poisson", "sqrt")
add("warpbreaks-poisson-identity", warpbreaks_data, "warpbreaks", "breaks ~ wool + tension", "poisson", "identity")
add("mtcars-gaussian", mtcars_data, "mtcars", "mpg ~ wt + factor(cyl)", "gaussian", "identity")
add("mtcars-gaussian-log", mtcars_data, "mtcars", "mpg ~ wt + hp", "gaussian", "log")
add("mtcars-gaussian-inverse", mtcars_data, "mtcars", "mpg ~ wt + hp", "gaussian", "inverse")
add("mtcars-gamma-log", mtcars_data, "mtcars", "mpg ~ wt + hp + factor(am)", "Gamma", "log")
add("clotting-gamma-inverse", clotting, "clotting", "lot1 ~ log_u", "Gamma", "inverse")
add("clotting-gamma-identity", clotting, "clotting", "lot2 ~ log_u", "Gamma", "identity")
add("airquality-gaussian-missing", airquality_data, "airquality", "Ozone ~ Solar.R + Wind + Temp", "gaussian", "identity")
add("airquality-gamma-missing", airquality_data, "airquality", "Ozone ~ Solar.R + Wind + Temp", "Gamma", "log")
add("birthwt-aliased-logit", aliased, "birthwt-aliased", "low ~ age + smoke + ht + risk_total + lwt", "binomial", "logit")
add("separation-logit", separation, "glm-separation", "response ~ dose + group", "binomial", "logit")
add("wards-logit", wards, "glm-wards", "event ~ dose + ward", "binomial", "logit")
# Non-integer counts: R's Poisson aic is Inf (dpois is 0 there) with one warning per distinct value; glm.nb
# inherits the warnings from its Poisson start. (An underdispersed negbin such as Wind ~ Temp is not a case:
# theta runs off to ~5e4 where the score is numerical noise, so no two digamma implementations agree.)
add("airquality-poisson-noninteger", airquality_data, "airquality", "Wind ~ Temp", "poisson", "log")
add("trial-negbin-noninteger", trial, "glm-trial", "support_hours ~ arm + baseline", "negbin", "log")
add("quine-negbin", quine, "quine", "Days ~ Sex/(Age + Eth*Lrn)", "negbin", "log")
add("trial-negbin", trial, "glm-trial", "bed_days ~ arm + baseline + site", "negbin", "log")
for (type in c("HC0", "HC1", "HC3")) {
  add(paste0("trial-modified-poisson-", type), trial, "glm-trial", "readmitted ~ arm + age + baseline + site",
      "poisson", "log", type)
  add(paste0("mtcars-gaussian-", type), mtcars_data, "mtcars", "mpg ~ wt + factor(cyl)", "gaussian", "identity", type)
}
add("mtcars-gamma-log-HC3", mtcars_data, "mtcars", "mpg ~ wt + hp + factor(am)", "Gamma", "log", "HC3")
add("trial-logit-HC0", trial, "glm-trial", "readmitted ~ arm + age + baseline", "binomial", "logit", "HC0")
add("trial-negbin-HC1", trial, "glm-trial", "bed_days ~ arm + baseline + site", "negbin", "log", "HC1")
add("birthwt-aliased-poisson-HC3", aliased, "birthwt-aliased", "low ~ age + smoke + ht + risk_total + lwt",
    "poisson", "log", "HC3")

names(cases) <- NULL
write_fixture("glm", cases, packages = c("stats", "MASS", "sandwich", "jsonlite"))
