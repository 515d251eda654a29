# Shared helpers for the reference scripts. Source it from a script in reference/:
#   source(file.path(dirname(sys.frame(1)$ofile %||% "reference/x"), "common.R"))
# Every script is run from the repository root: `Rscript reference/<name>.R`.
suppressPackageStartupMessages(library(jsonlite))
invisible(Sys.setlocale("LC_COLLATE", "C")) # factor levels sort as enrich sorts them (code-point order)

fixture_dir <- file.path("test", "fixtures")
data_dir <- file.path(fixture_dir, "data")
dir.create(data_dir, recursive = TRUE, showWarnings = FALSE)

# Writes a data frame as the CSV enrich reads (NA for missing, no row names) and reads it back the way
# enrich types it (strings become factors with sorted levels), so the reference is fitted on exactly the
# values enrich sees.
write_dataset <- function(data, name) {
  path <- file.path(data_dir, paste0(name, ".csv"))
  utils::write.csv(data, path, row.names = FALSE, na = "NA")
  utils::read.csv(path, stringsAsFactors = TRUE, na.strings = c("NA", ""))
}

# Writes test/fixtures/<name>.json with the R and package versions that produced it.
# Numbers keep 17 significant digits; NA, NaN and Inf become null.
write_fixture <- function(name, cases, packages = character()) {
  versions <- lapply(setNames(packages, packages), function(p) as.character(utils::packageVersion(p)))
  out <- list(
    generated_by = paste0("reference/", name, ".R"),
    r_version = R.version.string,
    packages = versions,
    cases = cases
  )
  json <- jsonlite::toJSON(out, auto_unbox = TRUE, digits = I(17), na = "null", null = "null", pretty = TRUE)
  writeLines(json, file.path(fixture_dir, paste0(name, ".json")))
}

num_or_null <- function(x) if (length(x) == 0 || is.na(x) || !is.finite(x)) NULL else unname(x)
