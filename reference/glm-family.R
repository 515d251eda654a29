# Reference values for src/stats/models/glm-family.ts: R's family objects evaluated on small grids.
# Run from the repository root: `Rscript reference/glm-family.R`. Writes test/fixtures/glm-family.json.
source(file.path("reference", "common.R"))
suppressPackageStartupMessages(library(MASS))

family_case <- function(name, family, eta, y, mu, theta = NULL) {
  nobs <- length(y)
  weights <- rep(1, nobs)
  etastart <- start <- mustart <- NULL
  eval(family$initialize)
  deviance <- sum(family$dev.resids(y, mu, weights))
  list(
    family = name,
    link = family$link,
    theta = theta,
    eta = I(eta),
    y = I(y),
    mu = I(mu),
    expected = list(
      linkinv = I(family$linkinv(eta)),
      mu_eta = I(family$mu.eta(eta)),
      linkfun = I(family$linkfun(mu)),
      variance = I(family$variance(mu)),
      dev_resids = I(family$dev.resids(y, mu, weights)),
      deviance = deviance,
      aic = family$aic(y, 1, mu, weights, deviance),
      mustart = I(mustart),
      valid_eta = family$valideta(eta),
      valid_mu = family$validmu(mu)
    )
  )
}

eta_wide <- c(-40, -31, -8.5, -2, -0.3, 0, 0.7, 3, 8.5, 31, 40)
eta_positive <- c(0.05, 0.3, 1, 2.5, 7)
binary <- c(0, 1, 1, 0, 1)
counts <- c(0, 1, 4, 2, 9)
positive <- c(0.4, 1.3, 2.2, 5.1, 9.7)
probabilities <- c(0.02, 0.3, 0.5, 0.81, 0.999)
means <- c(0.5, 1.1, 3.4, 2.2, 7.9)

cases <- list(
  family_case("binomial", binomial("logit"), eta_wide, binary, probabilities),
  family_case("binomial", binomial("probit"), eta_wide, binary, probabilities),
  family_case("binomial", binomial("cloglog"), eta_wide, binary, probabilities),
  family_case("poisson", poisson("log"), eta_wide, counts, means),
  family_case("poisson", poisson("identity"), eta_positive, counts, means),
  family_case("poisson", poisson("sqrt"), eta_positive, counts, means),
  family_case("gaussian", gaussian("identity"), eta_wide, positive, means),
  family_case("gaussian", gaussian("log"), eta_wide, positive, means),
  family_case("gaussian", gaussian("inverse"), eta_positive, positive, means),
  family_case("Gamma", Gamma("inverse"), eta_positive, positive, means),
  family_case("Gamma", Gamma("log"), eta_wide, positive, means),
  family_case("Gamma", Gamma("identity"), eta_positive, positive, means),
  family_case("negbin", negative.binomial(1.7), eta_wide, counts, means, 1.7)
)
write_fixture("glm-family", cases, packages = c("stats", "MASS"))
