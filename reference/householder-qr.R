# Reference values for src/stats/linalg/householder-qr.ts: R's qr() (LINPACK dqrdc2 with limited column
# pivoting) and the quantities derived from it. Run from the repository root: `Rscript reference/householder-qr.R`.
source(file.path("reference", "common.R"))

qr_case <- function(name, x, tolerance, y) {
  decomposition <- qr(x, tol = tolerance, LAPACK = FALSE)
  rank <- decomposition$rank
  q1 <- qr.Q(decomposition)[, seq_len(rank), drop = FALSE]
  list(
    name = name,
    row_count = nrow(x),
    column_count = ncol(x),
    tolerance = tolerance,
    values = I(as.vector(x)),
    y = I(y),
    expected = list(
      qr = I(as.vector(decomposition$qr)),
      qraux = I(decomposition$qraux),
      pivot = I(decomposition$pivot),
      rank = rank,
      unscaled_covariance = I(as.vector(chol2inv(decomposition$qr[seq_len(rank), seq_len(rank), drop = FALSE]))),
      coefficients = I(unname(qr.coef(decomposition, y))),
      qty = I(as.vector(qr.qty(decomposition, y))),
      qy = I(as.vector(qr.qy(decomposition, y))),
      residuals = I(as.vector(qr.resid(decomposition, y))),
      hat = I(rowSums(q1^2))
    )
  )
}

set.seed(42)
full <- matrix(round(rnorm(18), 3), 6, 3)
deficient <- matrix(round(rnorm(32), 3), 8, 4)
deficient[, 2] <- 2 * deficient[, 1] # aliased: moved to the end, pivot 1 3 4 2
zero_column <- cbind(1, 0, round(rnorm(5), 3))
wide <- matrix(round(rnorm(15), 3), 3, 5)
near <- cbind(1, 1:7, (1:7) + c(0, 1, -1, 0, 1, 0, -1) * 1e-9) # aliased at 1e-7, kept at 1e-11 (glm.fit)
design <- cbind(1, c(3, 1, 4, 1, 5, 9, 2, 6, 5, 3), c(0, 1, 0, 1, 1, 0, 0, 1, 1, 0))

cases <- list(
  qr_case("full-rank", full, 1e-7, round(rnorm(6), 3)),
  qr_case("aliased-column", deficient, 1e-7, round(rnorm(8), 3)),
  qr_case("zero-column", zero_column, 1e-7, round(rnorm(5), 3)),
  qr_case("wide", wide, 1e-7, round(rnorm(3), 3)),
  qr_case("near-collinear-lm", near, 1e-7, round(rnorm(7), 3)),
  qr_case("near-collinear-glm", near, 1e-11, round(rnorm(7), 3)),
  qr_case("design", design, 1e-7, c(2.1, 0.4, 3.3, 1.2, 4.8, 8.1, 1.7, 6.6, 5.2, 2.4))
)
write_fixture("householder-qr", cases)
