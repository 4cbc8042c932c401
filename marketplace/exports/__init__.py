"""Raw exports (CSV and XLSX) of what a page lists, filtered like the page, streamed row by row."""
