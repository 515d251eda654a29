# The worked examples in the TSDoc comments (the @example lines of thetaMl, negativeBinomialLogLikelihood,
# createRRandom, cronbachAlpha, intraclassCorrelation, cohenKappa), computed by R, so the tests that check
# those examples compare with R's output rather than with numbers typed in by hand.
# Run from the repository root: Rscript reference/doc-examples.R -> test/fixtures/doc-examples.json
source("reference/common.R")
suppressPackageStartupMessages({
  library(MASS)
  library(psych)
})

theta <- MASS::theta.ml(c(0, 2, 5, 1, 9), rep(3.4, 5))

# glm.nb's log-likelihood at fixed mu and theta: MASS's loglik expression (as in glm.nb's fitted object).
nb_loglik <- function(y, mu, th) {
  sum(lgamma(th + y) - lgamma(th) - lgamma(y + 1) + th * log(th) + y * log(mu + (y == 0)) -
    (th + y) * log(th + mu))
}

set.seed(1)
runif3 <- runif(3)
set.seed(1)
sample10 <- sample.int(10, 10, replace = TRUE)
set.seed(1)
unif_index <- sample.int(10, 1) - 1

alpha_example <- suppressWarnings(psych::alpha(data.frame(a = c(1, 2, 3), b = c(1, 3, 3))))
icc_example <- psych::ICC(data.frame(a = c(1, 2, 3, 4), b = c(1, 3, 3, 5)), lmer = FALSE)
kappa_example <- psych::cohen.kappa(cbind(c(1, 2, 2, 1), c(1, 2, 1, 1)))

write_fixture("doc-examples", list(
  theta_ml = list(theta = as.numeric(theta), se = attr(theta, "SE")),
  nb_loglik = nb_loglik(c(0, 3), c(1, 2), 2),
  runif_seed1 = I(runif3),
  sample_int_seed1 = I(as.integer(sample10)),
  unif_index_seed1 = as.integer(unif_index),
  cronbach_raw_alpha = alpha_example$total$raw_alpha,
  icc1 = icc_example$results$ICC[1],
  cohen_kappa = kappa_example$kappa
), packages = c("MASS", "psych"))
