"""Statistics of the platform for coordinators (their territory), administrators (everything) and
the public (aggregates only): figures, by month, by domain, and a map by département and région."""
