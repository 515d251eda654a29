# Reference values for the engagement predictors of the process evaluation (src/analysis/engagement-predictors.ts,
# `enrich analyse` JSON engagement.predictors). Run from the repository root: `Rscript reference/engagement.R`.
# Reads the committed simulated datasets test/fixtures/data/trial-analysis-{main,messy}.csv (reference/trial-analysis.R
# wrote them) and writes test/fixtures/engagement.json.
#   peer support arm, both contact counts present;
#   engaged = complier (>= 2 contacts, >= 1 after discharge); days_randomised_to_discharge = discharge - randomised
#   glm(engaged ~ first_contact_minutes + first_contact_relationship_activities + days_randomised_to_discharge
#       + age + gender + ethnicity + first_language + sexual_orientation + diagnosis_group, binomial)  (na.omit)
#   MASS::glm.nb(contacts ~ same terms); Wald CIs exp(b +- qnorm(0.975) se), p = 2 pnorm(-|b/se|)
source(file.path("reference", "common.R"))
TRIAL_ANALYSIS_LIBRARY_ONLY <- TRUE
source(file.path("reference", "trial-analysis.R"))
suppressPackageStartupMessages(library(MASS))

terms <- "first_contact_minutes + first_contact_relationship_activities + days_randomised_to_discharge + age + gender + ethnicity + first_language + sexual_orientation + diagnosis_group"
wald <- function(b, se) {
  z <- qnorm(0.975)
  list(estimate = exp(b), ci_lower = exp(b - z * se), ci_upper = exp(b + z * se), p_value = 2 * pnorm(-abs(b / se)))
}
engagement_case <- function(name) {
  d <- type_dataset(utils::read.csv(file.path(data_dir, paste0(name, ".csv")), stringsAsFactors = TRUE, na.strings = c("NA", "")))
  d <- d[d$arm == "peer_support" & !is.na(d$pw_contacts_hospital) & !is.na(d$pw_contacts_community), ]
  d$engaged <- as.integer(d$pw_contacts_hospital + d$pw_contacts_community >= 2 & d$pw_contacts_community >= 1)
  d$contacts <- d$pw_contacts_hospital + d$pw_contacts_community
  d$days_randomised_to_discharge <- as.numeric(as.Date(d$discharge_date) - as.Date(d$randomised_date))
  logistic <- glm(as.formula(paste("engaged ~", terms)), family = binomial, data = d)
  co <- summary(logistic)$coefficients
  predictors <- lapply(rownames(co)[-1], function(term) list(term = term, odds_ratio = wald(co[term, 1], co[term, 2])))
  nb <- withCallingHandlers(glm.nb(as.formula(paste("contacts ~", terms)), data = d), warning = function(w) invokeRestart("muffleWarning"))
  nco <- summary(nb)$coefficients
  rate <- lapply(rownames(nco)[-1], function(term) list(term = term, rate_ratio = wald(nco[term, 1], nco[term, 2])))
  list(name = name, data = paste0("data/", name, ".csv"),
       expected = list(predictors = predictors,
                       predictor_model = list(eligible = nrow(d), n = nobs(logistic), engaged = sum(logistic$y)),
                       contacts_model = list(n = nobs(nb), theta = nb$theta, rate_ratios = rate)))
}
write_fixture("engagement", list(engagement_case("trial-analysis-main"), engagement_case("trial-analysis-messy")), c("MASS"))
