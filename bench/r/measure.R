memory_mib <- function() {
  status <- readLines("/proc/self/status")
  read <- function(field) as.numeric(sub(".*:\\s+(\\d+) kB", "\\1", grep(paste0("^", field, ":"), status, value = TRUE))) / 1024
  list(peak = read("VmHWM"), current = read("VmRSS"))
}
report <- function(seconds, repeats, before, check) {
  after <- memory_mib()
  cat(sprintf('{"seconds": %.6f, "perFit": %.9f, "peakMiB": %.1f, "dataMiB": %.1f, "check": %.15g}\n',
              seconds, seconds / repeats, after$peak, before$current, check))
}
reset_peak_memory <- function() writeLines("5", "/proc/self/clear_refs")
