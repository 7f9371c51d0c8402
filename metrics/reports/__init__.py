"""Documents and figures: the visit briefing (Excel and Word), Plotly charts and their PNG
export."""
