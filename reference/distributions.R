# Reference values for src/stats/distributions: R's nmath p/q functions on a grid that includes both
# tails. Run from the repository root: Rscript reference/distributions.R
source("reference/common.R")

q <- c(-40, -8, -3, -1.959963984540054, -0.5, 0, 0.3, 1, 2.5, 6, 12, 38)
p <- c(1e-300, 1e-20, 1e-8, 0.001, 0.025, 0.05, 0.3, 0.5, 0.7, 0.95, 0.975, 0.999, 1 - 1e-10)
df <- c(0.7, 1, 2.5, 5, 30, 1000)
positive <- c(1e-8, 0.01, 0.3, 1, 2.5, 7, 20, 80, 300)
unit <- c(1e-10, 0.001, 0.1, 0.3, 0.5, 0.77, 0.99, 1 - 1e-9)

expand <- function(...) {
  grid <- expand.grid(..., KEEP.OUT.ATTRS = FALSE, stringsAsFactors = FALSE)
  lapply(grid, identity)
}

cases <- list()
add <- function(name, fun, args, lower = TRUE) {
  values <- do.call(mapply, c(list(FUN = function(...) fun(..., lower.tail = lower)), args))
  cases[[length(cases) + 1]] <<- list(name = name, lower_tail = lower, args = lapply(args, I), values = I(unname(values)))
}
for (lower in c(TRUE, FALSE)) {
  add("pnorm", function(x, lower.tail) pnorm(x, lower.tail = lower.tail), list(x = q), lower)
  add("qnorm", function(p, lower.tail) qnorm(p, lower.tail = lower.tail), list(p = p), lower)
  add("pt", function(x, df, lower.tail) pt(x, df, lower.tail = lower.tail), expand(x = q, df = df), lower)
  add("qt", function(p, df, lower.tail) qt(p, df, lower.tail = lower.tail), expand(p = p[p > 1e-200], df = df[df >= 1]), lower)
  add("pchisq", function(x, df, lower.tail) pchisq(x, df, lower.tail = lower.tail), expand(x = positive, df = df), lower)
  add("qchisq", function(p, df, lower.tail) qchisq(p, df, lower.tail = lower.tail), expand(p = p[p > 1e-10 & p < 1 - 1e-9], df = df), lower)
  add("pf", function(x, df1, df2, lower.tail) pf(x, df1, df2, lower.tail = lower.tail), expand(x = positive, df1 = c(1, 3, 12), df2 = c(2, 10, 200)), lower)
  # p >= 1e-6 only: R's qf is 1/qbeta(...) - 1, which has no correct digits left when p is tinier.
  add("qf", function(p, df1, df2, lower.tail) qf(p, df1, df2, lower.tail = lower.tail), expand(p = p[p >= 1e-6 & p < 1 - 1e-9], df1 = c(1, 3, 12), df2 = c(2, 10, 200)), lower)
  add("pgamma", function(x, shape, rate, lower.tail) pgamma(x, shape, rate, lower.tail = lower.tail), expand(x = positive, shape = c(0.5, 1, 3, 40), rate = c(0.5, 2)), lower)
  add("qgamma", function(p, shape, rate, lower.tail) qgamma(p, shape, rate, lower.tail = lower.tail), expand(p = p[p > 1e-10 & p < 1 - 1e-9], shape = c(0.5, 1, 3, 40), rate = c(0.5, 2)), lower)
  add("pbeta", function(x, a, b, lower.tail) pbeta(x, a, b, lower.tail = lower.tail), expand(x = unit, a = c(0.5, 2, 30), b = c(0.7, 5)), lower)
  add("qbeta", function(p, a, b, lower.tail) qbeta(p, a, b, lower.tail = lower.tail), expand(p = p[p > 1e-10 & p < 1 - 1e-9], a = c(0.5, 2, 30), b = c(0.7, 5)), lower)
}
write_fixture("distributions", cases, "stats")
