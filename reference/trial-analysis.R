# Reference for src/analysis/ (`enrich analyse`): the pre-specified trial analysis of issue 7, run with
# Debian R on simulated analysis datasets, written to test/fixtures/trial-analysis.json. The datasets are
# simulated here and written with write_dataset() (test/fixtures/data/trial-analysis-*.csv), so the tests
# read exactly the CSV files analysed below. Run from the repository root: `Rscript reference/trial-analysis.R`.
#
# The analysis (docs/reference/analysis-plan.md), with covariates  site + diagnosis_group + admissions_prior_2y:
#   primary   glm(readmitted_12m ~ arm + cov, binomial); glm(..., poisson) with sandwich::vcovHC(type = "HC0");
#             unadjusted risk difference with the Wald (unpooled) SE
#   CACE      stage 1 glm(receipt ~ arm + cov, binomial), stage 2 glm(readmitted_12m ~ receipt +
#             stage1_residual + cov, poisson), statistic = coefficient of receipt (log RR);
#             set.seed(seed); boot(d, stat, R, strata = d$arm); boot.ci(type = "bca", L = empinf(b, type = "jack"))
#   subgroups glm(readmitted_12m ~ arm * subgroup + cov, binomial), OR per level by the linear combination,
#             anova(m0, m1, test = "Chisq")
#   counts    MASS::glm.nb(y ~ arm + cov); time to readmission coxph / survdiff / survfit by arm;
#   4 months  lm(scale_4m ~ arm + scale_baseline + cov)
# bench/r/analysis.R sources this file with TRIAL_ANALYSIS_LIBRARY_ONLY <- TRUE to time analyse_trial().
source(file.path("reference", "common.R"))
suppressPackageStartupMessages({
  library(MASS)
  library(sandwich)
  library(survival)
  library(boot)
})
stopifnot(RNGkind()[1:3] == c("Mersenne-Twister", "Inversion", "Rejection"))

ARMS <- c("usual_care", "peer_support")
COUNT_OUTCOMES <- c(
  "admissions_total_12m", "admissions_voluntary_12m", "admissions_involuntary_12m",
  "bed_days_12m", "crisis_contacts_12m", "liaison_contacts_12m"
)
SCALES <- c("symptoms", "quality_of_life", "social_inclusion", "hope", "social_network", "eq5d")
SAE_CATEGORIES <- c("death", "hospitalisation", "self_harm", "suicide_attempt", "violence", "other")
LEVELS <- list(
  arm = ARMS,
  diagnosis_group = c("psychosis", "personality", "other"),
  gender = c("female", "male", "other"),
  ethnicity = c("Asian", "Black", "Mixed", "White", "Other"),
  first_language = c("English", "Other"),
  sexual_orientation = c("heterosexual", "lgb", "other")
)
BASELINE <- list(
  c("age", "continuous"), c("gender", "categorical"), c("ethnicity", "categorical"),
  c("first_language", "categorical"), c("sexual_orientation", "categorical"),
  c("diagnosis_group", "categorical"), c("site", "categorical"), c("admissions_prior_2y", "continuous"),
  c("detained_at_index", "binary"), c("index_los_days", "continuous"), c("symptoms_baseline", "continuous"),
  c("quality_of_life_baseline", "continuous"), c("social_inclusion_baseline", "continuous"),
  c("hope_baseline", "continuous"), c("social_network_baseline", "continuous"), c("eq5d_baseline", "continuous")
)

# Categories in the data dictionary's order (enrich's level order); site keeps sorted (C-locale) levels.
type_dataset <- function(d) {
  for (name in names(LEVELS)) d[[name]] <- factor(as.character(d[[name]]), levels = LEVELS[[name]])
  d$site <- factor(as.character(d$site))
  d
}

per_arm <- function(values) setNames(as.list(unname(values)), ARMS)
effect <- function(estimate, se, transform = exp) {
  z <- qnorm(0.975)
  list(
    estimate = transform(estimate), ci_lower = transform(estimate - z * se),
    ci_upper = transform(estimate + z * se), p_value = 2 * pnorm(-abs(estimate / se))
  )
}
mean_sd <- function(x) {
  x <- x[!is.na(x)]
  list(n = length(x), mean = if (length(x) > 0) mean(x) else NULL, sd = if (length(x) > 1) sd(x) else NULL)
}
count_percent <- function(count, denominator) {
  list(count = count, denominator = denominator, percent = if (denominator > 0) 100 * count / denominator else NULL)
}
by_arm <- function(d, f) setNames(lapply(ARMS, function(a) f(d[d$arm == a, , drop = FALSE])), ARMS)
add_warning <- function(store, w) {
  store$warnings <- unique(c(store$warnings, conditionMessage(w)))
  invokeRestart("muffleWarning")
}

analyse_trial <- function(d, sae = NULL, covariates = c("site", "diagnosis_group", "admissions_prior_2y"),
                          resamples = 1000, seed = 1) {
  cov_terms <- paste(covariates, collapse = " + ")
  out <- list()

  # ---- 8. CONSORT and baseline --------------------------------------------------------------------------
  out$consort <- list(
    randomised = nrow(d),
    by_arm = by_arm(d, function(x) list(
      randomised = nrow(x),
      analysed_primary = sum(!is.na(x$readmitted_12m)),
      four_month_follow_up = sum(x$followup_4m == 1, na.rm = TRUE),
      withdrawn = sum(x$withdrawn == 1, na.rm = TRUE),
      died = sum(x$died_12m == 1, na.rm = TRUE),
      missing_primary = sum(is.na(x$readmitted_12m))
    ))
  )
  out$baseline <- lapply(BASELINE, function(spec) {
    name <- spec[[1]]
    kind <- spec[[2]]
    missing <- by_arm(d, function(x) sum(is.na(x[[name]])))
    if (kind == "continuous") {
      return(list(kind = kind, variable = name, by_arm = by_arm(d, function(x) mean_sd(x[[name]])), missing = missing))
    }
    levels <- if (kind == "binary") "yes" else levels(droplevels(d[[name]]))
    list(kind = "categorical", variable = name, levels = lapply(levels, function(level) list(
      level = level,
      by_arm = by_arm(d, function(x) {
        values <- x[[name]][!is.na(x[[name]])]
        hit <- if (kind == "binary") values == 1 else values == level
        count_percent(sum(hit), length(values))
      })
    )), missing = missing)
  })

  # ---- 1. Primary -----------------------------------------------------------------------------------------
  dp <- d[!is.na(d$readmitted_12m), ]
  n <- as.vector(table(dp$arm))
  events <- as.vector(tapply(dp$readmitted_12m, dp$arm, sum))
  p <- events / n
  rd <- p[2] - p[1]
  rd_se <- sqrt(p[2] * (1 - p[2]) / n[2] + p[1] * (1 - p[1]) / n[1])
  primary_formula <- as.formula(paste("readmitted_12m ~ arm +", cov_terms))
  primary_warnings <- new.env()
  withCallingHandlers({
    logistic <- glm(primary_formula, binomial, d)
    poisson_fit <- glm(primary_formula, poisson, d)
  }, warning = function(w) add_warning(primary_warnings, w))
  b <- coef(summary(logistic))["armpeer_support", ]
  rr <- coef(poisson_fit)[["armpeer_support"]]
  rr_se <- sqrt(diag(vcovHC(poisson_fit, type = "HC0")))[["armpeer_support"]]
  out$primary <- list(
    outcome = "readmitted_12m",
    n = per_arm(n), events = per_arm(events), percent = per_arm(100 * p),
    missing = sum(is.na(d$readmitted_12m)),
    risk_difference = effect(rd, rd_se, identity),
    odds_ratio = effect(b[["Estimate"]], b[["Std. Error"]]),
    risk_ratio = effect(rr, rr_se),
    n_model = nobs(logistic)
  )

  # ---- 2. CACE (two-stage residual inclusion) -------------------------------------------------------------
  # Not assessable: either contact count missing (R's NA & FALSE would otherwise give FALSE).
  assessable_contacts <- !is.na(d$pw_contacts_hospital) & !is.na(d$pw_contacts_community)
  complier <- with(d, as.integer(pw_contacts_hospital + pw_contacts_community >= 2 & pw_contacts_community >= 1))
  complier[!assessable_contacts] <- NA
  d$receipt <- ifelse(d$arm == "usual_care", 0L, complier)
  not_assessable <- sum(d$arm == "peer_support" & is.na(d$receipt))
  keep <- !is.na(d$receipt) & complete.cases(d[, c("readmitted_12m", covariates)])
  dc <- d[keep, ]
  stage1_formula <- as.formula(paste("receipt ~ arm +", cov_terms))
  stage2_formula <- as.formula(paste("readmitted_12m ~ receipt + stage1_residual +", cov_terms))
  cace_statistic <- function(data, i) {
    x <- data[i, ]
    stage1 <- suppressWarnings(glm(stage1_formula, binomial, x))
    x$stage1_residual <- x$receipt - fitted(stage1)
    stage2 <- suppressWarnings(glm(stage2_formula, poisson, x))
    coef(stage2)[["receipt"]]
  }
  cace_warnings <- new.env()
  withCallingHandlers({
    stage1 <- glm(stage1_formula, binomial, dc)
    dc_fit <- dc
    dc_fit$stage1_residual <- dc$receipt - fitted(stage1)
    stage2 <- glm(stage2_formula, poisson, dc_fit)
  }, warning = function(w) add_warning(cace_warnings, w))
  set.seed(seed)
  boot_out <- boot(dc, cace_statistic, R = resamples, strata = dc$arm)
  influence <- empinf(boot_out, type = "jack")
  ci <- boot.ci(boot_out, type = "bca", L = influence)
  t0 <- boot_out$t0
  tt <- boot_out$t[is.finite(boot_out$t[, 1]), 1]
  out$cace <- list(
    risk_ratio = list(estimate = exp(t0), ci_lower = exp(ci$bca[4]), ci_upper = exp(ci$bca[5])),
    n = nrow(dc),
    compliers = sum(dc$receipt),
    compliers_by_arm = per_arm(as.vector(tapply(dc$receipt, dc$arm, sum))),
    not_assessable = not_assessable,
    other_missing = sum(!is.na(d$receipt)) - nrow(dc),
    log_risk_ratio = coef(stage2)[["receipt"]],
    stage1_iterations = stage1$iter,
    bootstrap = list(
      resamples = resamples, seed = seed,
      strata = lapply(ARMS, function(a) list(level = a, n = sum(dc$arm == a))),
      bias_correction = qnorm(sum(tt < t0) / length(tt)),
      acceleration = sum(influence^3) / (6 * sum(influence^2)^1.5),
      failed_resamples = sum(!is.finite(boot_out$t[, 1])),
      log_ci_lower = ci$bca[4], log_ci_upper = ci$bca[5]
    ),
    warnings = I(as.character(cace_warnings$warnings)),
    replicates_head = I(boot_out$t[1:5, 1])
  )

  # ---- 3. Subgroups ---------------------------------------------------------------------------------------
  subgroup_data <- d
  subgroup_data$ethnicity_black <- factor(
    ifelse(is.na(d$ethnicity), NA, ifelse(d$ethnicity == "Black", "Black", "Not Black")),
    levels = c("Black", "Not Black")
  )
  subgroups <- list(
    list(name = "ethnicity_black", variable = "ethnicity_black"),
    list(name = "diagnosis_group", variable = "diagnosis_group"),
    list(name = "first_language", variable = "first_language")
  )
  out$subgroups <- lapply(subgroups, function(sg) {
    others <- setdiff(covariates, sg$variable)
    rest <- if (length(others) > 0) paste("+", paste(others, collapse = " + ")) else ""
    f1 <- as.formula(paste("readmitted_12m ~ arm *", sg$variable, rest))
    f0 <- as.formula(paste("readmitted_12m ~ arm +", sg$variable, rest))
    m1 <- glm(f1, binomial, subgroup_data)
    m0 <- glm(f0, binomial, subgroup_data)
    test <- anova(m0, m1, test = "Chisq")
    frame <- model.frame(m1)
    beta <- coef(m1)
    V <- vcov(m1)
    levels <- levels(droplevels(frame[[sg$variable]]))
    list(
      variable = sg$name,
      interaction_p_value = test[["Pr(>Chi)"]][2],
      interaction_chisq = test$Deviance[2],
      interaction_df = test$Df[2],
      levels = lapply(seq_along(levels), function(k) {
        g <- setNames(numeric(length(beta)), names(beta))
        g[["armpeer_support"]] <- 1
        if (k > 1) g[[paste0("armpeer_support:", sg$variable, levels[k])]] <- 1
        rows <- frame[frame[[sg$variable]] == levels[k], ]
        list(
          level = levels[k],
          n = per_arm(as.vector(table(rows$arm))),
          events = per_arm(as.vector(tapply(rows$readmitted_12m, rows$arm, sum))),
          odds_ratio = effect(sum(g * beta), sqrt(drop(t(g) %*% V %*% g)))
        )
      }),
      missing = nrow(subgroup_data) - nrow(frame)
    )
  })

  # ---- 4. Secondary: counts and time to readmission -----------------------------------------------------
  counts <- lapply(COUNT_OUTCOMES, function(outcome) {
    fit <- glm.nb(as.formula(paste(outcome, "~ arm +", cov_terms)), data = d)
    co <- coef(summary(fit))["armpeer_support", ]
    list(
      outcome = outcome,
      by_arm = by_arm(d, function(x) mean_sd(x[[outcome]])),
      rate_ratio = effect(co[["Estimate"]], co[["Std. Error"]]),
      theta = fit$theta, n = nobs(fit)
    )
  })
  cox <- coxph(as.formula(paste("Surv(days_to_readmission, readmission_event) ~ arm +", cov_terms)), d)
  cox_co <- summary(cox)$coefficients["armpeer_support", ]
  logrank <- survdiff(Surv(days_to_readmission, readmission_event) ~ arm, d)
  km <- survfit(Surv(days_to_readmission, readmission_event) ~ arm, d)
  km_summary <- summary(km, censored = TRUE)
  km_table <- summary(km)$table
  curves <- lapply(seq_along(ARMS), function(k) {
    stratum <- paste0("arm=", ARMS[k])
    rows <- which(km_summary$strata == stratum)
    list(
      arm = ARMS[k], n = km_table[stratum, "records"], events = km_table[stratum, "events"],
      median = num_or_null(km_table[stratum, "median"]),
      median_ci_lower = num_or_null(km_table[stratum, "0.95LCL"]),
      median_ci_upper = num_or_null(km_table[stratum, "0.95UCL"]),
      points = lapply(rows, function(r) list(
        time = km_summary$time[r], n_risk = km_summary$n.risk[r], n_event = km_summary$n.event[r],
        n_censor = km_summary$n.censor[r], survival = km_summary$surv[r],
        ci_lower = num_or_null(km_summary$lower[r]), ci_upper = num_or_null(km_summary$upper[r])
      ))
    )
  })
  four_month <- lapply(SCALES, function(scale) {
    outcome <- paste0(scale, "_4m")
    baseline <- paste0(scale, "_baseline")
    fit <- lm(as.formula(paste(outcome, "~ arm +", baseline, "+", cov_terms)), d)
    co <- coef(summary(fit))["armpeer_support", ]
    ci <- confint(fit)["armpeer_support", ]
    n <- as.vector(table(model.frame(fit)$arm))
    list(
      outcome = outcome, baseline = baseline,
      mean_difference = list(estimate = co[["Estimate"]], ci_lower = ci[[1]], ci_upper = ci[[2]], p_value = co[["Pr(>|t|)"]]),
      n = per_arm(n),
      by_arm = by_arm(d, function(x) mean_sd(x[[outcome]])),
      follow_up_percent = per_arm(100 * n / as.vector(table(d$arm)))
    )
  })
  out$secondary <- list(
    counts = counts,
    time_to_readmission = list(
      hazard_ratio = effect(cox_co[["coef"]], cox_co[["se(coef)"]]),
      logrank_p_value = pchisq(logrank$chisq, length(logrank$n) - 1, lower.tail = FALSE),
      logrank_chisq = logrank$chisq,
      curves = curves, n = cox$n, events = cox$nevent
    ),
    four_month = four_month
  )

  # ---- 6. Engagement --------------------------------------------------------------------------------------
  assessable <- function(x) x[!is.na(x$pw_contacts_hospital) & !is.na(x$pw_contacts_community), , drop = FALSE]
  out$engagement <- list(
    assessable = by_arm(d, function(x) nrow(assessable(x))),
    contacts_hospital = by_arm(d, function(x) mean_sd(assessable(x)$pw_contacts_hospital)),
    contacts_community = by_arm(d, function(x) mean_sd(assessable(x)$pw_contacts_community)),
    any_contact = by_arm(d, function(x) {
      a <- assessable(x)
      count_percent(sum(a$pw_contacts_hospital + a$pw_contacts_community >= 1), nrow(a))
    }),
    compliers = by_arm(d, function(x) {
      a <- assessable(x)
      count_percent(sum(a$pw_contacts_hospital + a$pw_contacts_community >= 2 & a$pw_contacts_community >= 1), nrow(a))
    }),
    first_contact_minutes = by_arm(d, function(x) mean_sd(x$first_contact_minutes))
  )

  # ---- 7. Serious adverse events --------------------------------------------------------------------------
  if (!is.null(sae)) {
    arm_of <- setNames(as.character(d$arm), as.character(d$participant_id))
    s <- data.frame(
      participant_id = as.character(sae$participant_id),
      arm = factor(arm_of[as.character(sae$participant_id)], levels = ARMS),
      category = factor(as.character(sae$category), levels = SAE_CATEGORIES),
      related = sae$related
    )
    randomised <- as.vector(table(d$arm))
    participants <- as.vector(tapply(s$participant_id, s$arm, function(x) length(unique(x))))
    participants[is.na(participants)] <- 0
    out$sae <- list(
      events = per_arm(as.vector(table(s$arm))),
      participants = setNames(lapply(1:2, function(k) count_percent(participants[k], randomised[k])), ARMS),
      by_category = lapply(SAE_CATEGORIES, function(category) {
        x <- s[s$category == category, ]
        pp <- as.vector(tapply(x$participant_id, x$arm, function(v) length(unique(v))))
        pp[is.na(pp)] <- 0
        list(category = category, events = per_arm(as.vector(table(x$arm))), participants = per_arm(pp))
      }),
      related = per_arm(as.vector(tapply(s$related == 1, s$arm, sum))),
      deaths = per_arm(as.vector(table(s$arm[s$category == "death"])))
    )
  }
  out
}

# ---- simulated datasets -------------------------------------------------------------------------------------

# An analysis dataset with the dictionary's columns and plausible values: about half readmitted in usual
# care, compliance in about half of the peer support arm, an effect of receipt that differs for Black
# participants. `messy` adds missing outcomes and covariates, non-assessable contact records and a site
# with three participants.
simulate_trial <- function(n, seed, messy = FALSE) {
  set.seed(seed)
  sites <- sprintf("site_%d", 1:7)
  site <- sample(sites, n, replace = TRUE, prob = c(0.22, 0.18, 0.16, 0.14, 0.12, 0.1, 0.08))
  if (messy) site[sample.int(n, 3)] <- "site_8"
  arm <- character(n)
  for (s in unique(site)) {
    rows <- which(site == s)
    arm[rows] <- sample(rep(ARMS, length.out = length(rows)))
  }
  peer <- arm == "peer_support"
  diagnosis <- sample(LEVELS$diagnosis_group, n, replace = TRUE, prob = c(0.5, 0.3, 0.2))
  randomised <- as.Date("2016-03-01") + sample(0:700, n, replace = TRUE)
  discharge <- randomised + sample(1:60, n, replace = TRUE)
  ethnicity <- sample(LEVELS$ethnicity, n, replace = TRUE, prob = c(0.15, 0.2, 0.05, 0.55, 0.05))
  admissions_prior <- 1 + rpois(n, 1.2)
  hospital <- ifelse(peer, rnbinom(n, mu = 1.8, size = 0.5), 0)
  community <- ifelse(peer, rnbinom(n, mu = 4.4, size = 0.9), 0)
  any_contact <- hospital + community > 0
  complier <- hospital + community >= 2 & community >= 1
  black <- ethnicity == "Black"
  site_effect <- setNames(c(-0.3, -0.1, 0, 0.1, 0.2, 0.3, -0.2, 0), c(sites, "site_8"))
  lp <- -0.1 + site_effect[site] + 0.25 * (diagnosis == "psychosis") + 0.2 * (admissions_prior - 2) +
    complier * ifelse(black, 1, -0.8)
  readmitted <- rbinom(n, 1, plogis(lp))
  died <- rbinom(n, 1, 0.02)
  withdrawn <- rbinom(n, 1, 0.04)
  days <- ifelse(readmitted == 1, sample.int(364, n, replace = TRUE), 365L)
  censor_early <- readmitted == 0 & (died == 1 | withdrawn == 1)
  days[censor_early] <- sample.int(364, sum(censor_early), replace = TRUE)
  total <- readmitted * (1 + rpois(n, 0.7))
  voluntary <- rbinom(n, total, 0.6)
  followup <- rbinom(n, 1, 0.55)
  baseline <- list(
    symptoms = round(rnorm(n, 50, 12), 1), quality_of_life = round(rnorm(n, 4, 1), 2),
    social_inclusion = round(rnorm(n, 25, 5), 1), hope = round(rnorm(n, 30, 6), 1),
    social_network = round(rnorm(n, 12, 4), 1), eq5d = round(pmin(1, rnorm(n, 0.6, 0.22)), 3)
  )
  effects <- c(symptoms = -2, quality_of_life = 0.2, social_inclusion = 1, hope = 1.5, social_network = 0.5, eq5d = 0.03)
  spread <- c(symptoms = 10, quality_of_life = 0.9, social_inclusion = 4, hope = 5, social_network = 3.5, eq5d = 0.18)
  d <- data.frame(
    participant_id = sprintf("P%04d", seq_len(n)),
    site = site, arm = arm, diagnosis_group = diagnosis,
    randomised_date = format(randomised), discharge_date = format(discharge),
    age = pmax(18, round(rnorm(n, 40, 12))),
    gender = sample(LEVELS$gender, n, replace = TRUE, prob = c(0.48, 0.5, 0.02)),
    ethnicity = ethnicity,
    first_language = sample(LEVELS$first_language, n, replace = TRUE, prob = c(0.8, 0.2)),
    sexual_orientation = sample(c(LEVELS$sexual_orientation, NA), n, replace = TRUE, prob = c(0.8, 0.1, 0.03, 0.07)),
    admissions_prior_2y = admissions_prior,
    detained_at_index = rbinom(n, 1, 0.4),
    index_los_days = rnbinom(n, mu = 40, size = 1.5)
  )
  for (scale in SCALES) d[[paste0(scale, "_baseline")]] <- baseline[[scale]]
  d$pw_contacts_hospital <- hospital
  d$pw_contacts_community <- community
  d$first_contact_minutes <- ifelse(any_contact, round(rgamma(n, 3, 1 / 20)) + 5, NA)
  d$first_contact_relationship_activities <- ifelse(any_contact, rpois(n, 2), 0)
  d$readmitted_12m <- readmitted
  d$days_to_readmission <- days
  d$readmission_event <- readmitted
  d$admissions_voluntary_12m <- voluntary
  d$admissions_involuntary_12m <- total - voluntary
  d$admissions_total_12m <- total
  d$bed_days_12m <- ifelse(total > 0, 1 + rnbinom(n, mu = 30 * total, size = 1), 0)
  d$crisis_contacts_12m <- rnbinom(n, mu = ifelse(peer, 2.5, 3), size = 0.7)
  d$liaison_contacts_12m <- rnbinom(n, mu = 0.8, size = 0.5)
  d$community_contacts_12m <- rnbinom(n, mu = 20, size = 2)
  d$followup_4m <- followup
  for (scale in SCALES) {
    value <- 0.5 * baseline[[scale]] + 0.5 * mean(baseline[[scale]]) + effects[[scale]] * peer + rnorm(n, 0, spread[[scale]])
    value <- if (scale == "eq5d") round(pmin(1, value), 3) else round(value, 2)
    d[[paste0(scale, "_4m")]] <- ifelse(followup == 1, value, NA)
  }
  d$withdrawn <- withdrawn
  d$died_12m <- died
  if (messy) {
    lost <- sample.int(n, round(0.06 * n))
    d$readmitted_12m[lost] <- NA
    d$days_to_readmission[lost] <- NA
    d$readmission_event[lost] <- NA
    d$admissions_prior_2y[sample.int(n, 4)] <- NA
    d$ethnicity[sample.int(n, 5)] <- NA
    d$symptoms_baseline[sample.int(n, 6)] <- NA
    d$bed_days_12m[sample.int(n, 5)] <- NA
    unassessable <- sample(which(peer), round(0.08 * sum(peer)))
    d$pw_contacts_hospital[unassessable] <- NA
    d$pw_contacts_community[unassessable[seq(1, length(unassessable), 2)]] <- NA
  }
  d
}

simulate_sae <- function(d, seed) {
  set.seed(seed)
  count <- round(nrow(d) * 0.15)
  who <- sample(as.character(d$participant_id), count, replace = TRUE)
  category <- sample(SAE_CATEGORIES[-1], count, replace = TRUE, prob = c(0.5, 0.2, 0.1, 0.1, 0.1))
  died <- as.character(d$participant_id[d$died_12m == 1])
  data.frame(
    participant_id = c(who, died),
    onset_date = format(as.Date("2017-01-01") + sample(0:500, count + length(died), replace = TRUE)),
    category = c(category, rep("death", length(died))),
    related = c(rbinom(count, 1, 0.05), rep(0L, length(died)))
  )
}

if (!exists("TRIAL_ANALYSIS_LIBRARY_ONLY")) {
  cases <- list()
  specs <- list(
    list(name = "trial-analysis-main", n = 590, seed = 20240701, messy = FALSE, resamples = 1000, boot_seed = 1),
    list(name = "trial-analysis-messy", n = 300, seed = 20240702, messy = TRUE, resamples = 499, boot_seed = 7)
  )
  for (spec in specs) {
    simulated <- simulate_trial(spec$n, spec$seed, spec$messy)
    d <- type_dataset(write_dataset(simulated, spec$name))
    sae <- write_dataset(simulate_sae(simulated, spec$seed + 1), paste0(spec$name, "-sae"))
    cases[[length(cases) + 1]] <- list(
      name = spec$name, data = paste0("data/", spec$name, ".csv"), sae = paste0("data/", spec$name, "-sae.csv"),
      resamples = spec$resamples, seed = spec$boot_seed,
      result = analyse_trial(d, sae, resamples = spec$resamples, seed = spec$boot_seed)
    )
  }
  # A dataset written by `enrich simulate --n 590 --seed 1` (missing values as empty cells; bed_days_12m makes
  # glm.nb's theta run away: "iteration limit reached", SE.theta NaN, coefficients still reported).
  read_csv <- function(path) utils::read.csv(path, stringsAsFactors = TRUE, na.strings = c("NA", ""))
  simulated <- type_dataset(read_csv(file.path(data_dir, "trial-analysis-simulated.csv")))
  simulated_sae <- read_csv(file.path(data_dir, "trial-analysis-simulated-sae.csv"))
  cases[[length(cases) + 1]] <- list(
    name = "trial-analysis-simulated", data = "data/trial-analysis-simulated.csv",
    sae = "data/trial-analysis-simulated-sae.csv", resamples = 200, seed = 11,
    result = suppressWarnings(analyse_trial(simulated, simulated_sae, resamples = 200, seed = 11))
  )
  write_fixture("trial-analysis", cases, c("MASS", "sandwich", "survival", "boot"))
}
