# Reference model matrices: what R's model.frame() + model.matrix() make of each formula, for
# src/stats/models/model-frame.test.ts. Run from the repository root: Rscript reference/model-frame.R
source("reference/common.R")
suppressPackageStartupMessages(library(MASS))

warpbreaks_data <- write_dataset(warpbreaks, "warpbreaks")
quine_data <- write_dataset(MASS::quine, "quine")
birthwt_data <- write_dataset(MASS::birthwt, "birthwt")
mtcars_data <- write_dataset(mtcars, "mtcars")

set.seed(20261126)
mixed <- data.frame(
  y = round(rnorm(40), 3),
  arm = sample(c("usual_care", "peer_support"), 40, TRUE),
  site = sample(c("north", "south", "east"), 40, TRUE),
  dose = sample(c(0.5, 1, 1.5, 10), 40, TRUE),
  age = round(runif(40, 18, 80)),
  stringsAsFactors = FALSE
)
mixed$y[c(3, 17)] <- NA
mixed$site[c(5, 9)] <- NA
mixed$age[22] <- NA
mixed_data <- write_dataset(mixed, "mixed-missing")

model_case <- function(data_name, data, formula_text) {
  frame <- model.frame(as.formula(formula_text), data = data, na.action = na.omit, drop.unused.levels = TRUE)
  matrix <- model.matrix(as.formula(formula_text), frame)
  list(
    data = paste0(data_name, ".csv"),
    formula = formula_text,
    n = nrow(frame),
    n_dropped = nrow(data) - nrow(frame),
    column_names = I(colnames(matrix)),
    assign = I(attr(matrix, "assign")),
    values = I(as.vector(matrix))
  )
}

cases <- list(
  model_case("warpbreaks", warpbreaks_data, "breaks ~ wool * tension"),
  model_case("warpbreaks", warpbreaks_data, "breaks ~ wool:tension"),
  model_case("warpbreaks", warpbreaks_data, "breaks ~ tension - 1"),
  model_case("warpbreaks", warpbreaks_data, "breaks ~ 0 + wool + tension"),
  model_case("quine", quine_data, "Days ~ Sex/(Age + Eth*Lrn)"),
  model_case("quine", quine_data, "Days ~ (Eth + Sex + Age)^2"),
  model_case("birthwt", birthwt_data, "low ~ age + lwt + factor(race) + smoke + ptl + ht + ui"),
  model_case("birthwt", birthwt_data, "low ~ log(lwt) + factor(race):smoke"),
  model_case("mtcars", mtcars_data, "mpg ~ wt * factor(cyl)"),
  model_case("mtcars", mtcars_data, "mpg ~ ."),
  model_case("mixed-missing", mixed_data, "y ~ arm + site + age"),
  model_case("mixed-missing", mixed_data, "y ~ arm * factor(dose)"),
  model_case("mixed-missing", mixed_data, "y ~ 1")
)
write_fixture("model-frame", cases)
