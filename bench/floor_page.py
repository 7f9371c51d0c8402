"""The floor of bench/page_times.py: a Streamlit page with one chart and one table and no store,
the least any page costs (script run, Plotly figure, table serialised)."""
import numpy as np
import pandas as pd
import plotly.express as px
import streamlit as st

years = np.arange(2016, 2025)
series = pd.DataFrame({"年份": np.tile(years, 5), "地区": np.repeat(list("甲乙丙丁戊"), len(years)),
                       "数值": np.linspace(80, 99, 5 * len(years)).round(1)})
st.title("基准页")
st.plotly_chart(px.line(series, x="年份", y="数值", color="地区"), theme=None)
st.dataframe(series, hide_index=True)
