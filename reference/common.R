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

# jsonlite prints at most 15 significant digits whatever `digits` says, so doubles are written here with
# sprintf("%.17g") (enough to round-trip every double) and passed to toJSON verbatim. Vectors keep
# jsonlite's auto_unbox rule: length-1 vectors become scalars unless wrapped in I().
precise_doubles <- function(x) {
  if (is.data.frame(x)) return(x)
  if (is.list(x)) {
    out <- lapply(x, precise_doubles)
    names(out) <- names(x)
    if (inherits(x, "AsIs")) class(out) <- class(x)
    return(out)
  }
  if (is.double(x) && is.null(dim(x))) {
    text <- ifelse(is.finite(x), sprintf("%.17g", x), "null")
    boxed <- inherits(x, "AsIs") || length(x) != 1
    return(structure(if (boxed) paste0("[", paste(text, collapse = ","), "]") else text, class = "json"))
  }
  x
}

# Writes test/fixtures/<name>.json with the R and package versions that produced it.
# Numbers keep 17 significant digits; NA, NaN and Inf become null.
write_fixture <- function(name, cases, packages = character()) {
  versions <- lapply(setNames(packages, packages), function(p) as.character(utils::packageVersion(p)))
  out <- list(
    generated_by = paste0("reference/", name, ".R"),
    r_version = R.version.string,
    packages = versions,
    cases = precise_doubles(cases)
  )
  json <- jsonlite::toJSON(out, auto_unbox = TRUE, na = "null", null = "null", json_verbatim = TRUE, pretty = TRUE)
  writeLines(json, file.path(fixture_dir, paste0(name, ".json")))
}

num_or_null <- function(x) if (length(x) == 0 || is.na(x) || !is.finite(x)) NULL else unname(x)
