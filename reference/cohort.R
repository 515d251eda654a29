# Reference values for the peer worker wellbeing cohort (src/analysis/cohort/) and `enrich cohort`.
# Run from the repository root: `Rscript reference/cohort.R`. Writes test/fixtures/data/cohort-questionnaires.csv
# (simulated: 40 peer workers at T1, 31 at T2, 24 at T3, placeholder items with some unanswered),
# test/fixtures/data/cohort-norms.csv and test/fixtures/cohort.json.
#   scoring: reverse items (min + max - x); sum prorated as mean(answered) * k when answered >= minimum, mean of
#            answered items for mean scales (as scoreInstrument; reference/instrument-scoring.R checks that rule)
#   per timepoint: n, mean, sd, min, max; change from T1: t.test(later, t1, paired = TRUE), d_z = mean / sd
#   norms: t.test(x, mu = norm_mean); standardised difference (mean - norm_mean) / norm_sd
#   groups under 5 are suppressed (none in this dataset; test/cli/cohort.test.ts checks suppression)
source(file.path("reference", "common.R"))

set.seed(4471)
measures <- list(
  list(id = "wellbeing", prefix = "wb", k = 14, min = 1, max = 5, rule = "sum", minimum = 12, reverse = integer(), subscales = list()),
  list(id = "burnout", prefix = "bo", k = 9, min = 0, max = 6, rule = "mean", minimum = 7, reverse = integer(),
       subscales = list(exhaustion = 1:5, detachment = 6:9)),
  list(id = "job_satisfaction", prefix = "js", k = 6, min = 1, max = 7, rule = "mean", minimum = 5, reverse = integer(), subscales = list()),
  list(id = "team_working", prefix = "tw", k = 8, min = 1, max = 5, rule = "mean", minimum = 6, reverse = c(3L, 7L), subscales = list())
)
workers <- sprintf("pw%02d", 1:40)
present <- list(`1` = workers, `2` = sample(workers, 31), `3` = sample(workers, 24))
rows <- list()
for (timepoint in 1:3) {
  for (worker in sort(present[[as.character(timepoint)]])) {
    person <- as.integer(substr(worker, 3, 4))
    trait <- sin(person) * 0.8
    row <- data.frame(worker_id = worker, timepoint = timepoint)
    for (m in measures) {
      centre <- (m$min + m$max) / 2 + trait + (if (m$id == "burnout") 0.3 else -0.2) * (timepoint - 1) * 0.5
      values <- pmin(m$max, pmax(m$min, round(centre + rnorm(m$k, 0, 1))))
      values[runif(m$k) < 0.05] <- NA
      for (i in seq_len(m$k)) row[[paste0(m$prefix, i)]] <- values[i]
    }
    rows[[length(rows) + 1]] <- row
  }
}
data <- write_dataset(do.call(rbind, rows), "cohort-questionnaires")
norms <- data.frame(measure = c("wellbeing", "burnout", "burnout", "job_satisfaction"),
                    subscale = c(NA, NA, "exhaustion", NA), mean = c(51.0, 2.9, 3.1, 5.1), sd = c(7.0, 1.2, 1.4, 1.0),
                    source = c("Placeholder population norm A", "Placeholder norm B", "Placeholder norm B", "Placeholder norm C"))
norms <- write_dataset(norms, "cohort-norms")

score_items <- function(x, m, which) {
  x <- x[which]
  answered <- sum(!is.na(x))
  threshold <- if (length(which) == m$k) m$minimum else ceiling(m$minimum * length(which) / m$k)
  if (answered < threshold || answered == 0) return(NA_real_)
  if (m$rule == "mean") mean(x, na.rm = TRUE) else if (answered == length(x)) sum(x) else mean(x, na.rm = TRUE) * length(x)
}
keys <- list()
for (m in measures) {
  items <- as.matrix(data[paste0(m$prefix, seq_len(m$k))])
  for (r in m$reverse) items[, r] <- m$min + m$max - items[, r]
  keys[[m$id]] <- list(measure = m$id, subscale = NA, values = apply(items, 1, score_items, m = m, which = seq_len(m$k)))
  for (s in names(m$subscales)) {
    keys[[paste0(m$id, ".", s)]] <- list(measure = m$id, subscale = s, values = apply(items, 1, score_items, m = m, which = m$subscales[[s]]))
  }
}

results <- lapply(keys, function(key) {
  value <- key$values
  timepoints <- lapply(1:3, function(t) {
    x <- value[data$timepoint == t & !is.na(value)]
    list(timepoint = t, n = length(x), mean = mean(x), sd = sd(x), minimum = min(x), maximum = max(x))
  })
  change <- lapply(2:3, function(t) {
    base <- data.frame(worker_id = data$worker_id[data$timepoint == 1], t1 = value[data$timepoint == 1])
    later <- data.frame(worker_id = data$worker_id[data$timepoint == t], later = value[data$timepoint == t])
    both <- na.omit(merge(base, later, by = "worker_id"))
    test <- t.test(both$later, both$t1, paired = TRUE)
    d <- both$later - both$t1
    list(timepoint = t, n = nrow(both), mean_change = mean(d), sd_change = sd(d), ci_lower = test$conf.int[1],
         ci_upper = test$conf.int[2], statistic = unname(test$statistic), degrees_of_freedom = unname(test$parameter),
         p_value = test$p.value, effect_size_dz = mean(d) / sd(d))
  })
  norm_row <- norms[as.character(norms$measure) == key$measure & (if (is.na(key$subscale)) is.na(norms$subscale) else (!is.na(norms$subscale) & as.character(norms$subscale) == key$subscale)), ]
  norm <- NULL
  if (nrow(norm_row) == 1) {
    norm <- list(mean = norm_row$mean, sd = norm_row$sd, source = as.character(norm_row$source), comparisons = lapply(1:3, function(t) {
      x <- value[data$timepoint == t & !is.na(value)]
      test <- t.test(x, mu = norm_row$mean)
      list(timepoint = t, n = length(x), mean = mean(x), difference = mean(x) - norm_row$mean,
           ci_lower = test$conf.int[1] - norm_row$mean, ci_upper = test$conf.int[2] - norm_row$mean,
           statistic = unname(test$statistic), degrees_of_freedom = unname(test$parameter), p_value = test$p.value,
           standardised_difference = (mean(x) - norm_row$mean) / norm_row$sd)
    }))
  }
  list(measure = key$measure, subscale = if (is.na(key$subscale)) NULL else key$subscale, timepoints = timepoints, change = change, norm = norm)
})
names(results) <- NULL
cases <- list(list(name = "placeholder_measures", data = "data/cohort-questionnaires.csv", norms = "data/cohort-norms.csv",
                   participants = I(as.integer(table(data$timepoint))), scores = results))
write_fixture("cohort", cases)

# The t-tests themselves (src/stats/t-tests/), on small vectors with missing values: test/fixtures/t-tests.json.
htest <- function(test) list(statistic = unname(test$statistic), degrees_of_freedom = unname(test$parameter),
                             p_value = test$p.value, ci_lower = test$conf.int[1], ci_upper = test$conf.int[2])
x <- c(1.5, 2.25, NA, 3.75, 4, 6.5); y <- c(2, 4, 6, NA, 9.5, 7.25)
write_fixture("t-tests", list(
  one_sample = c(list(x = I(x), mu = 1.2), htest(t.test(x, mu = 1.2))),
  one_sample_90 = c(list(x = I(x), mu = 0, conf_level = 0.9), htest(t.test(x, conf.level = 0.9))),
  paired = c(list(x = I(x), y = I(y)), htest(t.test(x, y, paired = TRUE))),
  welch = c(list(x = I(x), y = I(y)), htest(t.test(x, y)))
))
