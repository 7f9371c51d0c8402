"""Domain package of the two-outlines monitoring tool: catalogue, regions, store, evaluation,
charts and the command line. Nothing here imports Streamlit, so every piece runs in tests and
from the command line."""
