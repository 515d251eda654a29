# Reference values for the reliability statistics (src/stats/reliability/) and `enrich alpha|icc|kappa`.
# Run from the repository root: `Rscript reference/reliability.R`. Writes test/fixtures/reliability.json and
# the datasets test/fixtures/data/reliability-*.csv. Every case records the CSV it reads, the CLI selection
# (items, columns, raters, weights) and the expected result in the CLI's snake_case JSON shape.
#   alpha: psych::alpha(x) with its defaults (use = "pairwise", check.keys = FALSE, delete = TRUE)
#   icc:   psych::ICC(na.omit(x), lmer = FALSE)   (psych stops on missing ratings when lmer = FALSE)
#   kappa: psych::cohen.kappa(data.frame(r1, r2), w = W) with W NULL (quadratic) or the linear matrix
source(file.path("reference", "common.R"))
suppressPackageStartupMessages(library(psych))

# Runs `expr` quietly (psych prints with cat()), collecting warning messages instead of printing them.
quietly <- function(expr) {
  messages <- character()
  value <- NULL
  utils::capture.output(
    value <- withCallingHandlers(expr, warning = function(w) {
      messages <<- c(messages, conditionMessage(w))
      invokeRestart("muffleWarning")
    })
  )
  list(value = value, warnings = unique(messages))
}

nz <- function(x) if (is.null(x) || length(x) == 0 || is.na(x) || !is.finite(x)) NULL else unname(x)

# ---- alpha ------------------------------------------------------------------------------------------------

alpha_case <- function(name, data_name, data, items = NULL) {
  x <- if (is.null(items)) data[vapply(data, is.numeric, logical(1))] else data[items]
  run <- quietly(psych::alpha(x))
  a <- run$value
  item_sd <- vapply(x, function(column) stats::sd(column, na.rm = TRUE), numeric(1))
  constant <- names(x)[item_sd <= 0 | is.na(item_sd)]
  kept <- x[setdiff(names(x), constant)]
  loadings <- quietly(psych::principal(kept, scores = FALSE))$value$loadings
  negative <- rownames(loadings)[loadings[, 1] < 0]
  total <- a$total
  drop <- a$alpha.drop
  stats <- a$item.stats
  has_se <- "alpha se" %in% names(drop)
  items_out <- lapply(seq_len(nrow(stats)), function(i) {
    list(
      item = rownames(stats)[i],
      raw_alpha_if_dropped = nz(drop$raw_alpha[i]),
      std_alpha_if_dropped = nz(drop$std.alpha[i]),
      g6_smc_if_dropped = nz(drop[["G6(smc)"]][i]),
      average_r_if_dropped = nz(drop$average_r[i]),
      signal_to_noise_if_dropped = nz(drop[["S/N"]][i]),
      alpha_se_if_dropped = if (has_se) nz(drop[["alpha se"]][i]) else NULL,
      var_r_if_dropped = nz(drop$var.r[i]),
      med_r_if_dropped = nz(drop$med.r[i]),
      n = stats$n[i],
      raw_r = nz(stats$raw.r[i]),
      std_r = nz(stats$std.r[i]),
      r_cor = nz(stats$r.cor[i]),
      r_drop = nz(stats$r.drop[i]),
      mean = nz(stats$mean[i]),
      sd = nz(stats$sd[i])
    )
  })
  list(
    name = name,
    kind = "alpha",
    data = paste0("data/", data_name, ".csv"),
    items = if (is.null(items)) NULL else I(items),
    call = if (is.null(items)) "psych::alpha(x)" else sprintf("psych::alpha(x[c(%s)])", paste0('"', items, '"', collapse = ", ")),
    r_warnings = I(run$warnings),
    expected = list(
      raw_alpha = total$raw_alpha,
      std_alpha = total$std.alpha,
      g6_smc = total[["G6(smc)"]],
      average_r = total$average_r,
      signal_to_noise = total[["S/N"]],
      ase = nz(total$ase),
      mean = total$mean,
      sd = total$sd,
      median_r = total$median_r,
      n_items = a$nvar,
      n = nrow(x),
      ci_lower = a$feldt$lower.ci[[1]],
      ci_upper = a$feldt$upper.ci[[1]],
      duhachek_lower = total$raw_alpha - 1.96 * total$ase,
      duhachek_upper = total$raw_alpha + 1.96 * total$ase,
      dropped_items = I(constant),
      negatively_correlated_items = I(negative),
      items = items_out
    )
  )
}

# ---- ICC --------------------------------------------------------------------------------------------------

icc_case <- function(name, data_name, data, columns = NULL) {
  x <- if (is.null(columns)) data[vapply(data, is.numeric, logical(1))] else data[columns]
  complete <- stats::na.omit(x)
  result <- psych::ICC(complete, lmer = FALSE)
  r <- result$results
  stats <- result$stats
  list(
    name = name,
    kind = "icc",
    data = paste0("data/", data_name, ".csv"),
    columns = if (is.null(columns)) NULL else I(columns),
    call = "psych::ICC(na.omit(x), lmer = FALSE)",
    expected = list(
      n_subjects = result$n.obs,
      n_raters = result$n.judge,
      n_dropped = nrow(x) - nrow(complete),
      raters = I(names(x)),
      confidence_level = 1 - formals(psych::ICC)$alpha,
      icc = lapply(seq_len(nrow(r)), function(i) {
        list(
          type = r$type[i], value = r$ICC[i], F = r$F[i], df1 = r$df1[i], df2 = r$df2[i],
          p_value = r$p[i], ci_lower = r[["lower bound"]][i], ci_upper = r[["upper bound"]][i]
        )
      }),
      mean_squares = list(
        subjects = stats["MS", "subjects"], raters = stats["MS", "Judges"],
        residual = stats["MS", "Residual"], within = result$MSW
      )
    )
  )
}

# ---- kappa ------------------------------------------------------------------------------------------------

linear_weights <- function(k) 1 - abs(outer(seq_len(k), seq_len(k), "-")) / (k - 1)
quadratic_weights <- function(k) 1 - abs(outer(seq_len(k), seq_len(k), "-"))^2 / (k - 1)^2

kappa_case <- function(name, data_name, data, rater1, rater2, weights) {
  pair <- data.frame(data[[rater1]], data[[rater2]])
  x1 <- if (is.factor(pair[, 1])) as.character(pair[, 1]) else pair[, 1]
  x2 <- if (is.factor(pair[, 1])) as.character(pair[, 2]) else pair[, 2]
  labels <- levels(as.factor(cbind(x1, x2)))
  k <- length(labels)
  w <- switch(weights, none = NULL, linear = linear_weights(k), quadratic = NULL)
  run <- quietly(psych::cohen.kappa(pair, w = w))
  ck <- run$value
  agree <- ck$agree
  rs <- rowSums(agree)
  cs <- colSums(agree)
  counts <- table(factor(x1, levels = labels), factor(x2, levels = labels))
  block <- function(kappa, variance, bounds, weight_matrix) {
    list(
      kappa = kappa,
      se = sqrt(variance),
      variance = variance,
      ci_lower = bounds[["lower"]],
      ci_upper = bounds[["upper"]],
      observed_agreement = sum(weight_matrix * agree),
      expected_agreement = sum(weight_matrix * outer(rs, cs))
    )
  }
  unweighted <- block(ck$kappa, ck$var.kappa, ck$confid[1, ], diag(k))
  chosen <- if (weights == "none") unweighted else block(ck$weighted.kappa, ck$var.weighted, ck$confid[2, ], ck$weight)
  weight_matrix <- if (weights == "none") diag(k) else unname(ck$weight)
  expected <- c(
    list(
      n = ck$n.obs, n_dropped = nrow(pair) - ck$n.obs, categories = I(labels), weights = weights,
      confidence_level = 1 - formals(psych::cohen.kappa)$alpha
    ),
    chosen,
    list(
      unweighted = unweighted,
      weight_matrix = lapply(seq_len(k), function(i) I(weight_matrix[i, ])),
      agreement_table = lapply(seq_len(k), function(i) I(as.vector(counts[i, ])))
    )
  )
  list(
    name = name,
    kind = "kappa",
    data = paste0("data/", data_name, ".csv"),
    rater1 = rater1,
    rater2 = rater2,
    weights = weights,
    call = sprintf("psych::cohen.kappa(data.frame(%s, %s), w = %s)", rater1, rater2,
                   switch(weights, none = "NULL [unweighted row]", linear = "linear", quadratic = "NULL [weighted row]")),
    r_warnings = I(run$warnings),
    expected = expected
  )
}

# ---- datasets ---------------------------------------------------------------------------------------------

# Shrout & Fleiss (1979), Table 2: 6 targets rated by 4 judges (psych's ICC help page).
sf <- write_dataset(data.frame(
  J1 = c(9, 6, 8, 7, 10, 6), J2 = c(2, 1, 4, 1, 5, 2), J3 = c(5, 3, 6, 2, 6, 4), J4 = c(8, 2, 8, 6, 9, 7)
), "reliability-shrout-fleiss")

sf_missing_frame <- data.frame(
  target = paste0("T", 1:8),
  J1 = c(9, 6, 8, 7, 10, 6, NA, 5), J2 = c(2, 1, 4, 1, 5, 2, 3, 3),
  J3 = c(5, 3, 6, 2, 6, 4, 4, NA), J4 = c(8, 2, 8, 6, 9, 7, 6, 6)
)
sf_missing <- write_dataset(sf_missing_frame, "reliability-shrout-fleiss-missing")

attitude_data <- write_dataset(datasets::attitude, "reliability-attitude")

# psych::bfi Agreeableness items (2800 people, 6-point responses, scattered missing; A1 is reverse keyed).
bfi_agree <- write_dataset(psych::bfi[, c("A1", "A2", "A3", "A4", "A5")], "reliability-bfi-agreeableness")

# Small scale with missing responses and a constant item (everyone answered 3 on `c5`).
set.seed(20240311)
latent <- rnorm(15)
scale_frame <- data.frame(
  respondent = sprintf("R%02d", 1:15),
  c1 = pmin(5, pmax(1, round(3 + latent + rnorm(15, sd = 0.7)))),
  c2 = pmin(5, pmax(1, round(3 + 0.8 * latent + rnorm(15, sd = 0.8)))),
  c3 = pmin(5, pmax(1, round(3 + 0.6 * latent + rnorm(15, sd = 0.9)))),
  c4 = pmin(5, pmax(1, round(3 + latent + rnorm(15, sd = 1)))),
  c5 = 3
)
scale_frame$c2[c(3, 11)] <- NA
scale_frame$c4[7] <- NA
scale_frame$c5[9] <- NA
scale_data <- write_dataset(scale_frame, "reliability-scale-missing")

# Two raters on an ordinal 1-4 scale; category 4 was used by rater B only; one row has a missing rating.
ordinal <- write_dataset(data.frame(
  site = sprintf("S%02d", 1:16),
  A = c(1, 2, 2, 3, 1, 3, 2, 2, 1, 3, 3, 2, 1, 2, 3, NA),
  B = c(1, 2, 3, 4, 1, 3, 2, 1, 2, 4, 3, 2, 1, 2, 3, 2)
), "reliability-kappa-ordinal")

# Cohen (1968) 3-category table from psych's cohen.kappa help (proportions x 200), expanded to ratings.
cohen_counts <- matrix(c(88, 14, 18, 10, 40, 10, 2, 6, 12), ncol = 3, byrow = TRUE)
cohen_cells <- which(cohen_counts > 0, arr.ind = TRUE)
cohen_rows <- do.call(rbind, lapply(seq_len(nrow(cohen_cells)), function(i) {
  cell <- cohen_cells[i, ]
  data.frame(rater1 = rep(cell[[1]], cohen_counts[cell[[1]], cell[[2]]]), rater2 = cell[[2]])
}))
cohen <- write_dataset(cohen_rows, "reliability-kappa-cohen1968")

# Text categories (sorted as strings: "absent" < "full" < "partial"), perfect agreement, near-perfect
# agreement whose upper bound psych clips to 1, and a row where one rater is missing.
labelled <- write_dataset(data.frame(
  first = c("full", "partial", "absent", "full", "partial", "full", "absent", "partial", "full", "full", "absent", NA),
  second = c("full", "partial", "partial", "full", "full", "full", "absent", "partial", "full", "partial", "absent", "full"),
  same_a = c(1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3),
  same_b = c(1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3),
  near_a = c(1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 1, 1),
  near_b = c(1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 1, 2)
), "reliability-kappa-labelled")

# A fidelity index: 20 peer-support projects, 12 items (3 under each of 4 principles) scored 1-5 by two
# raters visiting independently; totals per rater.
set.seed(1969)
n_projects <- 20
fidelity_level <- rnorm(n_projects)
principle_effect <- matrix(rnorm(n_projects * 4, sd = 0.5), n_projects, 4)
item_shift <- rnorm(12, sd = 0.4)
fidelity <- data.frame(project = sprintf("P%02d", seq_len(n_projects)))
truth <- sapply(1:12, function(j) 3 + 0.9 * fidelity_level + principle_effect[, (j - 1) %/% 3 + 1] + item_shift[j])
for (rater in 1:2) {
  bias <- c(0, 0.25)[rater]
  for (j in 1:12) {
    score <- pmin(5, pmax(1, round(truth[, j] + bias + rnorm(n_projects, sd = 0.55))))
    fidelity[[sprintf("item%02d_r%d", j, rater)]] <- score
  }
}
fidelity$total_r1 <- rowSums(fidelity[sprintf("item%02d_r1", 1:12)])
fidelity$total_r2 <- rowSums(fidelity[sprintf("item%02d_r2", 1:12)])
fidelity_data <- write_dataset(fidelity, "reliability-fidelity")

# ---- cases ------------------------------------------------------------------------------------------------

cases <- list(
  alpha_case("alpha shrout-fleiss", "reliability-shrout-fleiss", sf),
  alpha_case("alpha shrout-fleiss two items", "reliability-shrout-fleiss", sf, c("J1", "J2")),
  alpha_case("alpha shrout-fleiss three items", "reliability-shrout-fleiss", sf, c("J1", "J3", "J4")),
  alpha_case("alpha attitude", "reliability-attitude", attitude_data),
  alpha_case("alpha bfi agreeableness with missing and a reverse-keyed item", "reliability-bfi-agreeableness", bfi_agree),
  alpha_case("alpha bfi agreeableness A2-A5", "reliability-bfi-agreeableness", bfi_agree, c("A2", "A3", "A4", "A5")),
  alpha_case("alpha scale with missing responses and a constant item", "reliability-scale-missing", scale_data),
  alpha_case("alpha fidelity index rater 1", "reliability-fidelity", fidelity_data, sprintf("item%02d_r1", 1:12)),
  icc_case("icc shrout-fleiss", "reliability-shrout-fleiss", sf),
  icc_case("icc shrout-fleiss two judges", "reliability-shrout-fleiss", sf, c("J1", "J4")),
  icc_case("icc with missing ratings (rows dropped)", "reliability-shrout-fleiss-missing", sf_missing),
  icc_case("icc attitude", "reliability-attitude", attitude_data),
  icc_case("icc fidelity totals", "reliability-fidelity", fidelity_data, c("total_r1", "total_r2")),
  kappa_case("kappa ordinal unweighted", "reliability-kappa-ordinal", ordinal, "A", "B", "none"),
  kappa_case("kappa ordinal linear", "reliability-kappa-ordinal", ordinal, "A", "B", "linear"),
  kappa_case("kappa ordinal quadratic", "reliability-kappa-ordinal", ordinal, "A", "B", "quadratic"),
  kappa_case("kappa cohen 1968 unweighted", "reliability-kappa-cohen1968", cohen, "rater1", "rater2", "none"),
  kappa_case("kappa cohen 1968 linear", "reliability-kappa-cohen1968", cohen, "rater1", "rater2", "linear"),
  kappa_case("kappa cohen 1968 quadratic", "reliability-kappa-cohen1968", cohen, "rater1", "rater2", "quadratic"),
  kappa_case("kappa text categories", "reliability-kappa-labelled", labelled, "first", "second", "none"),
  kappa_case("kappa text categories quadratic", "reliability-kappa-labelled", labelled, "first", "second", "quadratic"),
  kappa_case("kappa perfect agreement", "reliability-kappa-labelled", labelled, "same_a", "same_b", "none"),
  kappa_case("kappa perfect agreement quadratic", "reliability-kappa-labelled", labelled, "same_a", "same_b", "quadratic"),
  kappa_case("kappa near-perfect agreement clipped", "reliability-kappa-labelled", labelled, "near_a", "near_b", "none")
)
for (j in c(1, 4, 7, 12)) {
  item <- sprintf("item%02d", j)
  for (weights in c("none", "quadratic")) {
    cases[[length(cases) + 1]] <- kappa_case(
      sprintf("kappa fidelity %s %s", item, weights), "reliability-fidelity", fidelity_data,
      paste0(item, "_r1"), paste0(item, "_r2"), weights
    )
  }
}

write_fixture("reliability", cases, packages = "psych")
