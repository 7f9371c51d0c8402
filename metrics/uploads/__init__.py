"""Uploads: reading files into grids, finding the layout, resolving names, parsing values,
checking, previewing, committing and undoing, the problem catalogue, reports and templates."""
