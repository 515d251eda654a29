# Reference values for the fidelity index analysis (src/analysis/fidelity/) and `enrich fidelity`.
# Run from the repository root: `Rscript reference/fidelity.R`. Writes test/fixtures/data/fidelity-ratings.csv
# (a simulated ratings file for the template index: 6 sites, 3 timepoints, two raters per interview, some
# consensus scores and some single ratings) and test/fixtures/fidelity.json.
#   item score of an interview: consensus score, else mean of the independent ratings
#   site x timepoint: mean over interviews per item; domain = mean of items; part/overall per scoring rule
#   sites: mean over timepoints; NHS vs voluntary: t.test(nhs, voluntary) (Welch)
#   reliability: psych::cohen.kappa(cbind(r1, r2)) quadratic weights; psych::ICC(cbind(r1, r2), lmer = FALSE)
#   internal consistency: psych::alpha(interviews x domain items) with its defaults (pairwise)
source(file.path("reference", "common.R"))
suppressPackageStartupMessages(library(psych))

set.seed(20240909)
domains <- c("trusting_relationships", "reciprocity", "leadership_choice_control", "strengths_community")
items <- do.call(rbind, lapply(c("setup", "delivery"), function(part) {
  do.call(rbind, lapply(domains, function(domain) {
    data.frame(id = paste0(if (part == "setup") "s" else "d", "_", domain, "_", 1:2), domain = domain, part = part)
  }))
}))
sites <- data.frame(site = paste0("site_", LETTERS[1:6]), employer_type = rep(c("nhs", "voluntary"), 3))
site_effect <- c(0.4, -0.2, 0.1, -0.5, 0.3, 0)
raters <- c("rater_ana", "rater_ben", "rater_cat", "rater_dev")
rows <- list()
interview_number <- 0
for (s in seq_len(nrow(sites))) {
  for (timepoint in 1:3) {
    informants <- c("supervisor", "peer_worker", "peer_worker", "person_supported", "person_supported")
    if (s == 6 && timepoint == 3) informants <- c("supervisor", "peer_worker")
    for (informant in informants) {
      interview_number <- interview_number + 1
      interview_id <- sprintf("I%03d", interview_number)
      pair <- sample(raters, 2)
      asked <- if (informant == "supervisor") items[items$part == "setup", ] else if (informant == "person_supported") items[items$part == "delivery", ] else items
      latent <- 3.3 + site_effect[s] + 0.15 * timepoint + rnorm(1, 0, 0.4)
      for (i in seq_len(nrow(asked))) {
        voluntary_drop <- if (asked$part[i] == "delivery" && sites$employer_type[s] == "voluntary") 0.5 else 0
        true_score <- latent - voluntary_drop + rnorm(1, 0, 0.5)
        scores <- pmin(5, pmax(1, round(true_score + rnorm(2, 0, 0.45))))
        n_raters <- if (runif(1) < 0.04) 1 else 2
        for (r in seq_len(n_raters)) {
          rows[[length(rows) + 1]] <- data.frame(interview_id = interview_id, site = sites$site[s],
            employer_type = sites$employer_type[s], timepoint = timepoint, informant = informant,
            rater = pair[r], item = asked$id[i], score = scores[r], consensus = 0)
        }
        if (n_raters == 2 && abs(scores[1] - scores[2]) >= 1 && runif(1) < 0.5) {
          rows[[length(rows) + 1]] <- data.frame(interview_id = interview_id, site = sites$site[s],
            employer_type = sites$employer_type[s], timepoint = timepoint, informant = informant,
            rater = "consensus_panel", item = asked$id[i], score = round(mean(scores) + 0.01), consensus = 1)
        }
      }
    }
  }
}
ratings <- do.call(rbind, rows)
ratings <- write_dataset(ratings, "fidelity-ratings")
ratings$interview_id <- as.character(ratings$interview_id)
ratings$rater <- as.character(ratings$rater)
ratings$item <- as.character(ratings$item)
ratings$site <- as.character(ratings$site)
ratings$informant <- as.character(ratings$informant)
ratings$employer_type <- as.character(ratings$employer_type)

# Interview x item scores.
cells <- unique(ratings[, c("interview_id", "site", "employer_type", "timepoint", "informant", "item")])
cell_score <- function(interview, item) {
  rows <- ratings[ratings$interview_id == interview & ratings$item == item, ]
  if (any(rows$consensus == 1)) return(rows$score[rows$consensus == 1])
  mean(rows$score[rows$consensus == 0])
}
cells$score <- mapply(cell_score, cells$interview_id, cells$item)

mean_or_null <- function(x) if (length(x) == 0) NA_real_ else mean(x)
scores_from_items <- function(item_scores, part_rule, overall_rule) {
  # item_scores: named vector over rated items
  of <- function(keep) { ids <- items$id[keep]; item_scores[names(item_scores) %in% ids] }
  domain_scores <- sapply(domains, function(d) mean_or_null(of(items$domain == d)))
  part <- function(p) {
    if (part_rule == "mean_of_items") return(mean_or_null(of(items$part == p)))
    values <- sapply(domains, function(d) mean_or_null(of(items$part == p & items$domain == d)))
    mean_or_null(values[!is.na(values)])
  }
  setup <- part("setup"); delivery <- part("delivery")
  overall <- if (overall_rule == "mean_of_items") mean_or_null(item_scores) else mean_or_null(na.omit(c(setup, delivery)))
  band <- if (is.na(overall)) NA else if (overall >= 4) "high" else if (overall >= 3) "moderate" else "low"
  list(domains = lapply(domains, function(d) list(domain = d, score = num_or_null(domain_scores[[d]]))),
       setup = num_or_null(setup), delivery = num_or_null(delivery), overall = num_or_null(overall), band = band,
       raw = c(setup = setup, delivery = delivery, overall = overall, domain_scores))
}

analyse <- function(part_rule, overall_rule) {
  groups <- unique(cells[, c("site", "employer_type", "timepoint")])
  groups <- groups[order(groups$site, groups$timepoint), ]
  site_timepoints <- lapply(seq_len(nrow(groups)), function(g) {
    in_group <- cells[cells$site == groups$site[g] & cells$timepoint == groups$timepoint[g], ]
    item_scores <- tapply(in_group$score, in_group$item, mean)
    item_scores <- item_scores[items$id[items$id %in% names(item_scores)]]
    c(list(site = groups$site[g], employer_type = groups$employer_type[g], timepoint = groups$timepoint[g],
           interviews = length(unique(in_group$interview_id)), items_rated = length(item_scores)),
      scores_from_items(item_scores, part_rule, overall_rule))
  })
  site_names <- sort(unique(cells$site))
  site_rows <- lapply(site_names, function(site) {
    rows <- Filter(function(r) r$site == site, site_timepoints)
    raw <- do.call(rbind, lapply(rows, function(r) r$raw))
    avg <- colMeans(raw, na.rm = TRUE)
    overall <- avg[["overall"]]
    list(site = site, employer_type = rows[[1]]$employer_type, timepoints = I(sapply(rows, function(r) r$timepoint)),
         domains = lapply(domains, function(d) list(domain = d, score = num_or_null(avg[[d]]))),
         setup = num_or_null(avg[["setup"]]), delivery = num_or_null(avg[["delivery"]]), overall = num_or_null(overall),
         band = if (overall >= 4) "high" else if (overall >= 3) "moderate" else "low", raw = avg)
  })
  comparison <- lapply(c("setup", "delivery", "overall"), function(score) {
    value <- sapply(site_rows, function(r) r$raw[[score]])
    employer <- sapply(site_rows, function(r) r$employer_type)
    nhs <- value[employer == "nhs"]; voluntary <- value[employer == "voluntary"]
    test <- t.test(nhs, voluntary)
    list(score = score,
         nhs = list(sites = length(nhs), mean = mean(nhs), sd = sd(nhs)),
         voluntary = list(sites = length(voluntary), mean = mean(voluntary), sd = sd(voluntary)),
         difference = list(estimate = unname(test$estimate[1] - test$estimate[2]), ci_lower = test$conf.int[1],
                           ci_upper = test$conf.int[2], statistic = unname(test$statistic),
                           degrees_of_freedom = unname(test$parameter), p_value = test$p.value))
  })
  for (i in seq_along(site_timepoints)) site_timepoints[[i]]$raw <- NULL
  for (i in seq_along(site_rows)) site_rows[[i]]$raw <- NULL
  list(site_timepoints = site_timepoints, sites = site_rows, employer_comparison = comparison)
}

# Reliability: pairs of independent ratings, rater ids in code-point order.
independent <- ratings[ratings$consensus == 0, ]
pair_rows <- do.call(rbind, lapply(split(independent, list(independent$interview_id, independent$item), drop = TRUE), function(rows) {
  if (nrow(rows) != 2) return(NULL)
  rows <- rows[order(rows$rater), ]
  data.frame(interview_id = rows$interview_id[1], item = rows$item[1], r1 = rows$score[1], r2 = rows$score[2],
             rater1 = rows$rater[1], rater2 = rows$rater[2])
}))
agreement <- function(item, r1, r2) {
  out <- list(item = item, pairs = length(r1), exact_agreement = mean(r1 == r2))
  kappa <- tryCatch(suppressWarnings(psych::cohen.kappa(cbind(r1, r2))), error = function(e) NULL)
  if (!is.null(kappa) && length(unique(c(r1, r2))) > 1) {
    w <- kappa$confid[2, ]
    # psych 2.2.9's weighted variance formula can go negative; psych then reports 0 (a variance of exactly 0
    # with some disagreement). enrich gives no SE or CI then.
    out$weighted_kappa <- if (kappa$var.weighted <= 0 && any(r1 != r2)) list(estimate = kappa$weighted.kappa) else
      list(estimate = kappa$weighted.kappa, se = sqrt(kappa$var.weighted), ci_lower = unname(w[1]), ci_upper = unname(w[3]))
  } else out$weighted_kappa <- NULL
  icc <- tryCatch(suppressWarnings(psych::ICC(cbind(r1, r2), lmer = FALSE))$results, error = function(e) NULL)
  if (!is.null(icc)) {
    out$icc1 <- list(estimate = icc$ICC[1], ci_lower = icc[1, "lower bound"], ci_upper = icc[1, "upper bound"])
    out$icc2 <- list(estimate = icc$ICC[2], ci_lower = icc[2, "lower bound"], ci_upper = icc[2, "upper bound"])
  }
  out
}
item_agreement <- lapply(items$id, function(id) {
  rows <- pair_rows[pair_rows$item == id, ]
  agreement(id, rows$r1, rows$r2)
})
overall_agreement <- agreement("all", pair_rows$r1, pair_rows$r2)

consistency <- lapply(domains, function(d) {
  ids <- items$id[items$domain == d & items$id %in% cells$item]
  domain_cells <- cells[cells$item %in% ids, ]
  interview_ids <- unique(domain_cells$interview_id)
  x <- sapply(ids, function(id) sapply(interview_ids, function(iv) {
    v <- domain_cells$score[domain_cells$interview_id == iv & domain_cells$item == id]
    if (length(v) == 0) NA else v
  }))
  a <- suppressWarnings(psych::alpha(as.data.frame(x)))
  ci <- psych::alpha.ci(a$total$raw_alpha, nrow(x), ncol(x))
  list(domain = d, items = length(ids), interviews = length(interview_ids), raw_alpha = a$total$raw_alpha,
       std_alpha = a$total$std.alpha, ci_lower = unname(unlist(ci)[1]), ci_upper = unname(unlist(ci)[3]))
})

needs <- pair_rows[abs(pair_rows$r1 - pair_rows$r2) >= 1, ]
needs$has_consensus <- mapply(function(iv, it) any(ratings$interview_id == iv & ratings$item == it & ratings$consensus == 1), needs$interview_id, needs$item)

cases <- list(
  list(name = "template_mean_of_items", data = "data/fidelity-ratings.csv", scoring = list(part = "mean_of_items", overall = "mean_of_items"),
       expected = c(analyse("mean_of_items", "mean_of_items"),
                    list(reliability = list(overall = overall_agreement, items = item_agreement), internal_consistency = consistency,
                         counts = list(ratings = nrow(ratings), interviews = length(unique(ratings$interview_id)),
                                       sites = length(unique(ratings$site)), scored_items = nrow(cells),
                                       double_rated = nrow(pair_rows),
                                       single_rated = sum(table(paste(independent$interview_id, independent$item)) == 1),
                                       consensus = sum(ratings$consensus == 1)),
                         disagreements = nrow(needs), needing_consensus = sum(!needs$has_consensus)))),
  list(name = "template_mean_of_domains_parts", data = "data/fidelity-ratings.csv", scoring = list(part = "mean_of_domains", overall = "mean_of_parts"),
       expected = analyse("mean_of_domains", "mean_of_parts"))
)
write_fixture("fidelity", cases, c("psych"))
