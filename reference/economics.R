# Reference for src/analysis/economics/ (`enrich economics`, the economics section of `enrich analyse`):
# the health economic evaluation of issue 8, written to test/fixtures/economics.json.
# Run from the repository root: `Rscript reference/economics.R`.
#
# Datasets (test/fixtures/data/):
#   economics-simulated.csv  `enrich simulate --n 590 --seed 3` (utilities from the dataset)
#   economics-small.csv      120 participants derived below from it: some usual care participants with no
#                            service use (total cost 0), missing 4-month utilities, and EQ-5D-3L states in
#                            eq5d_baseline_state / eq5d_4m_state scored with economics-eq5d-3l-value-set.csv
#                            (the UK TTO value set, Dolan 1997, computed here from its published coefficients)
#
# The analysis (docs/guides/economic-evaluation.md), covariates site + diagnosis_group + admissions_prior_2y:
#   costs   units x unit cost per resource, plus the peer support service cost for every peer support
#           participant; complete cases; shift = 1 if any total cost in the model is 0, else 0;
#           glm(I(total_cost + shift) ~ arm + cov, Gamma(link = "log"), mustart = mean cost); recycled predictions:
#           mean(predict(fit, arm := peer_support, "response")) - mean(predict(fit, arm := usual_care, "response"))
#   QALYs   (u0 + u4) / 2 * 4 / 12; lm(qaly ~ arm + eq5d_baseline + cov), arm coefficient
#   ICER = dC / dE; NMB(l) = l dE - dC
#   boot    set.seed(seed); boot(d, statistic, R, strata = d$arm), statistic (dC, dE) refitting both models
#           on the complete cases of d[i, ]; percentile CIs boot.ci(type = "perc"); P(cost saving) =
#           mean(dC_b < 0); CEAC(l) = mean(l dE_b - dC_b > 0) for l = 0, 500, ..., 50000
# bench/r/economics.R sources this file with ECONOMICS_LIBRARY_ONLY <- TRUE to time economic_evaluation().
source(file.path("reference", "common.R"))
suppressPackageStartupMessages(library(boot))
stopifnot(RNGkind()[1:3] == c("Mersenne-Twister", "Inversion", "Rejection"))

ARMS <- c("usual_care", "peer_support")
COVARIATES <- c("site", "diagnosis_group", "admissions_prior_2y") # the default plan; economic_evaluation() sets it per case
CEAC_WTP <- seq(0, 50000, by = 500)
RESOURCES <- list(
  bed_day = "bed_days_12m",
  crisis_team_contact = "crisis_contacts_12m",
  liaison_psychiatry_episode = "liaison_contacts_12m",
  community_team_contact = "community_contacts_12m",
  peer_worker_contact = c("pw_contacts_hospital", "pw_contacts_community"),
  peer_support_service = character()
)

type_dataset <- function(d) {
  d$arm <- factor(as.character(d$arm), levels = ARMS)
  d$diagnosis_group <- factor(as.character(d$diagnosis_group), levels = c("psychosis", "personality", "other"))
  d$site <- factor(as.character(d$site))
  d
}

# Units of each resource per participant (the service: 1 in peer support, 0 in usual care) and their costs.
add_costs <- function(d, unit_costs) {
  unit <- setNames(unit_costs$cost, as.character(unit_costs$resource))
  total <- 0
  for (resource in names(RESOURCES)) {
    columns <- RESOURCES[[resource]]
    units <- if (length(columns) == 0) as.numeric(d$arm == "peer_support") else Reduce(`+`, lapply(columns, function(name) d[[name]]))
    d[[paste0("units_", resource)]] <- units
    d[[paste0("cost_", resource)]] <- units * unit[[resource]]
    total <- total + d[[paste0("cost_", resource)]]
  }
  d$total_cost <- total
  d
}


# The statistic (dC, dE) of one data set; `shift` is fixed from the full data.
economic_statistic <- function(d, shift) {
  dc <- d[complete.cases(d[, c("total_cost", COVARIATES)]), ]
  dc$shift <- shift
  cost_formula <- reformulate(c("arm", COVARIATES), response = "I(total_cost + shift)")
  qaly_formula <- reformulate(c("arm", "eq5d_baseline", COVARIATES), response = "qaly")
  # Started at the mean cost: glm's default mustart = y can fail on skewed costs ("cannot correct step size").
  fit <- glm(cost_formula, family = Gamma(link = "log"), data = dc,
             mustart = rep(mean(total_cost + shift), length(total_cost)), control = glm.control(maxit = 100))
  p1 <- predict(fit, newdata = transform(dc, arm = factor("peer_support", levels = ARMS)), type = "response")
  p0 <- predict(fit, newdata = transform(dc, arm = factor("usual_care", levels = ARMS)), type = "response")
  dq <- d[complete.cases(d[, c("qaly", "eq5d_baseline", COVARIATES)]), ]
  qfit <- lm(qaly_formula, data = dq)
  list(cost_fit = fit, qaly_fit = qfit, treated = mean(p1), reference = mean(p0),
       dC = mean(p1) - mean(p0), dE = unname(coef(qfit)["armpeer_support"]))
}

mean_sd <- function(x) {
  x <- x[!is.na(x)]
  list(n = length(x), mean = if (length(x) > 0) mean(x) else NULL, sd = if (length(x) > 1) sd(x) else NULL)
}
per_arm <- function(d, f) setNames(lapply(ARMS, function(a) f(d[d$arm == a, , drop = FALSE])), ARMS)

economic_evaluation <- function(d, unit_costs, R, seed, covariates = COVARIATES, wtp = c(20000, 30000)) {
  COVARIATES <<- covariates
  d <- add_costs(d, unit_costs)
  d$qaly <- (d$eq5d_baseline + d$eq5d_4m) / 2 * 4 / 12
  model_rows <- complete.cases(d[, c("total_cost", COVARIATES)])
  shift <- if (any(d$total_cost[model_rows] == 0)) 1 else 0
  main <- economic_statistic(d, shift)
  started <- Sys.time()
  set.seed(seed)
  b <- boot(d, function(data, i) {
    s <- economic_statistic(data[i, ], shift)
    c(s$dC, s$dE)
  }, R = R, strata = d$arm)
  seconds <- as.numeric(Sys.time() - started, units = "secs")
  dC <- b$t[, 1]
  dE <- b$t[, 2]
  perc <- function(t0, t) {
    b2 <- b
    b2$t0 <- t0
    b2$t <- matrix(t, ncol = 1)
    boot.ci(b2, type = "perc")$percent[4:5]
  }
  cs <- summary(main$cost_fit)$coefficients
  qs <- summary(main$qaly_fit)$coefficients
  qci <- confint(main$qaly_fit)["armpeer_support", ]
  cc <- d[!is.na(d$total_cost), ]
  list(
    result = list(
      shift = shift,
      n_cost_model = nrow(main$cost_fit$model),
      n_qaly_model = nrow(main$qaly_fit$model),
      categories = setNames(lapply(names(RESOURCES), function(resource) list(
        use = per_arm(cc, function(x) mean_sd(x[[paste0("units_", resource)]])),
        cost = per_arm(cc, function(x) mean_sd(x[[paste0("cost_", resource)]]))
      )), names(RESOURCES)),
      total = per_arm(cc, function(x) mean_sd(x$total_cost)),
      missing = per_arm(d, function(x) sum(is.na(x$total_cost))),
      zero_cost = per_arm(d, function(x) sum(x$total_cost == 0, na.rm = TRUE)),
      adjusted_mean = list(usual_care = main$reference - shift, peer_support = main$treated - shift),
      cost_difference = main$dC,
      cost_arm_coefficient = cs["armpeer_support", "Estimate"],
      cost_arm_se = cs["armpeer_support", "Std. Error"],
      cost_arm_p = cs["armpeer_support", "Pr(>|t|)"],
      cost_ratio = exp(confint.default(main$cost_fit)["armpeer_support", ]),
      eq5d_baseline = per_arm(d, function(x) mean_sd(x$eq5d_baseline)),
      eq5d_4m = per_arm(d, function(x) mean_sd(x$eq5d_4m)),
      qaly = per_arm(d, function(x) mean_sd(x$qaly)),
      qaly_difference = main$dE,
      qaly_se = qs["armpeer_support", "Std. Error"],
      qaly_p = qs["armpeer_support", "Pr(>|t|)"],
      qaly_ci = unname(qci),
      icer = main$dC / main$dE,
      nmb = lapply(wtp, function(l) list(wtp = l, estimate = l * main$dE - main$dC,
                                         ci = perc(l * main$dE - main$dC, l * dE - dC),
                                         probability = mean(l * dE - dC > 0)))
    ),
    bootstrap = list(
      R = R, seed = seed,
      t0 = b$t0,
      cost_replicates = dC, qaly_replicates = dE,
      cost_ci = boot.ci(b, type = "perc", index = 1)$percent[4:5],
      qaly_ci = boot.ci(b, type = "perc", index = 2)$percent[4:5],
      probability_cost_saving = mean(dC < 0),
      ceac = lapply(CEAC_WTP, function(l) list(wtp = l, probability = mean(l * dE - dC > 0))),
      quadrants = list(north_east = mean(dE > 0 & dC > 0), north_west = mean(dE <= 0 & dC > 0),
                       south_east = mean(dE > 0 & dC <= 0), south_west = mean(dE <= 0 & dC <= 0)),
      seconds = seconds
    )
  )
}

# The UK EQ-5D-3L TTO value set (Dolan 1997) for all 243 states.
dolan_value_set <- function() {
  states <- expand.grid(ad = 1:3, pd = 1:3, ua = 1:3, sc = 1:3, mo = 1:3)[, 5:1]
  decrement <- list(mo = c(0, 0.069, 0.314), sc = c(0, 0.104, 0.214), ua = c(0, 0.036, 0.094),
                    pd = c(0, 0.123, 0.386), ad = c(0, 0.071, 0.236))
  utility <- 1 - 0.081 * (rowSums(states > 1) > 0) - 0.269 * (rowSums(states == 3) > 0)
  for (name in names(decrement)) utility <- utility - decrement[[name]][states[[name]]]
  utility[rowSums(states > 1) == 0] <- 1
  data.frame(state = do.call(paste0, states), utility = round(utility, 3))
}

if (!exists("ECONOMICS_LIBRARY_ONLY") || !isTRUE(ECONOMICS_LIBRARY_ONLY)) {
  unit_costs <- read.csv(file.path("docs", "guides", "data", "unit-costs-illustrative.csv"))
  simulated <- type_dataset(read.csv(file.path(data_dir, "economics-simulated.csv"), na.strings = c("NA", "")))

  # The small dataset: 60 per arm, zero service use for 6 usual care participants, 15 missing 4-month
  # utilities, EQ-5D-3L states whose Dolan utilities replace eq5d_baseline and eq5d_4m.
  set.seed(20240801)
  small <- rbind(head(simulated[simulated$arm == "usual_care" & !is.na(simulated$bed_days_12m), ], 60),
                 head(simulated[simulated$arm == "peer_support" & !is.na(simulated$pw_contacts_hospital) & !is.na(simulated$bed_days_12m), ], 60))
  zero <- which(small$arm == "usual_care")[c(3, 9, 17, 25, 33, 41)]
  for (column in c("bed_days_12m", "crisis_contacts_12m", "liaison_contacts_12m", "community_contacts_12m")) small[zero, column] <- 0
  value_set <- dolan_value_set()
  utils::write.csv(value_set, file.path(data_dir, "economics-eq5d-3l-value-set.csv"), row.names = FALSE)
  random_state <- function(k) vapply(seq_len(k), function(i) paste0(sample(1:3, 5, replace = TRUE, prob = c(0.5, 0.35, 0.15)), collapse = ""), "")
  small$eq5d_baseline_state <- random_state(nrow(small))
  small$eq5d_4m_state <- random_state(nrow(small))
  small$eq5d_4m_state[sample(nrow(small), 15)] <- NA
  lookup <- setNames(value_set$utility, value_set$state)
  small$eq5d_baseline <- unname(lookup[small$eq5d_baseline_state])
  small$eq5d_4m <- unname(lookup[small$eq5d_4m_state])
  small$eq5d_4m[is.na(small$eq5d_4m_state)] <- NA
  small <- type_dataset(write_dataset(small, "economics-small"))
  small$eq5d_baseline_state <- as.character(small$eq5d_baseline_state)

  cases <- list(
    list(name = "simulated", file = "economics-simulated.csv", value_set = NULL, R = 1000, seed = 1,
         covariates = I(c("site", "diagnosis_group", "admissions_prior_2y")),
         output = economic_evaluation(simulated, unit_costs, R = 1000, seed = 1)),
    # Without site: with 120 participants the site dummies make the Gamma GLM slow to converge in resamples.
    list(name = "small", file = "economics-small.csv", value_set = "economics-eq5d-3l-value-set.csv", R = 200, seed = 42,
         covariates = I(c("diagnosis_group", "admissions_prior_2y")),
         output = economic_evaluation(small, unit_costs, R = 200, seed = 42, covariates = c("diagnosis_group", "admissions_prior_2y")))
  )
  write_fixture("economics", cases, packages = c("boot"))
}
