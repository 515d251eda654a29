# Reference values for scoreInstrument (src/trial/domain/instruments.ts) on the placeholder instruments:
# reverse scoring (min + max - x), prorated sums (mean of answered items x number of items, when at least
# `minimum answered` items are answered), means of answered items, subscales with their scaled thresholds,
# and EQ-5D-3L utilities with the UK TTO value set (Dolan 1997). Run: Rscript reference/instrument-scoring.R
source(file.path("reference", "common.R"))

instruments <- list(
  symptoms = list(n = 10, min = 0, max = 4, reverse = integer(), rule = "sum", minimum = 8,
                  subscales = list(psychotic = 1:5, affective = 6:10), prefix = "s"),
  quality_of_life = list(n = 12, min = 1, max = 7, reverse = c(4L, 9L), rule = "mean", minimum = 9,
                         subscales = list(), prefix = "q"),
  social_inclusion = list(n = 12, min = 0, max = 3, reverse = integer(), rule = "sum", minimum = 10,
                          subscales = list(participation = 1:6, acceptance = 7:12), prefix = "i"),
  hope = list(n = 12, min = 1, max = 4, reverse = c(3L, 6L), rule = "sum", minimum = 10,
              subscales = list(), prefix = "h"),
  social_network = list(n = 6, min = 0, max = 5, reverse = integer(), rule = "sum", minimum = 6,
                        subscales = list(), prefix = "n")
)

score <- function(x, rule, minimum) {
  answered <- sum(!is.na(x))
  if (answered < minimum || answered == 0) return(NA_real_)
  if (rule == "mean") return(mean(x, na.rm = TRUE))
  if (answered == length(x)) return(sum(x))
  mean(x, na.rm = TRUE) * length(x)
}

set.seed(20240611)
cases <- list()
for (name in names(instruments)) {
  spec <- instruments[[name]]
  for (case in 1:40) {
    responses <- sample(spec$min:spec$max, spec$n, replace = TRUE)
    missing <- sample(0:4, 1)
    if (missing > 0) responses[sample.int(spec$n, missing)] <- NA
    scored <- responses
    scored[spec$reverse] <- spec$min + spec$max - scored[spec$reverse]
    subscales <- lapply(spec$subscales, function(items) {
      num_or_null(score(scored[items], spec$rule, ceiling(spec$minimum * length(items) / spec$n)))
    })
    cases[[length(cases) + 1]] <- list(
      instrument = name,
      items = I(paste0(spec$prefix, seq_len(spec$n))),
      responses = I(responses),
      total = num_or_null(score(scored, spec$rule, spec$minimum)),
      answered = sum(!is.na(responses)),
      subscales = if (length(subscales) == 0) structure(list(), names = character()) else subscales
    )
  }
}

# EQ-5D-3L UK TTO (Dolan 1997): 1 - 0.081 [any level > 1] - decrements - 0.269 [any level 3].
decrements <- list(
  mobility = c(0, 0.069, 0.314), self_care = c(0, 0.104, 0.214), usual_activities = c(0, 0.036, 0.094),
  pain_discomfort = c(0, 0.123, 0.386), anxiety_depression = c(0, 0.071, 0.236)
)
utility <- function(state) {
  value <- 1 - sum(mapply(function(d, level) d[level], decrements, state))
  if (any(state > 1)) value <- value - 0.081
  if (any(state == 3)) value <- value - 0.269
  value
}
states <- as.matrix(expand.grid(rep(list(1:3), 5)))
eq5d <- lapply(seq_len(nrow(states)), function(row) {
  list(state = I(unname(states[row, ])), utility = utility(unname(states[row, ])))
})

write_fixture("instrument-scoring", list(scales = cases, eq5d = eq5d))
