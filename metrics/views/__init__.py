"""What each page shows, as display-ready frames: the overview, trends, the 中期评估 page,
peer comparison and the import history. Built from evaluated frames and the catalogue."""
