"""The app's frame: page config and the page registry. Run with `streamlit run dashboard.py`."""
import streamlit as st

from pages.ui import feedback, state

st.set_page_config(page_title="两纲监测", page_icon=":material/monitoring:", layout="wide")

pages = {
    "监测": [
        st.Page("pages/overview.py", title="总览", icon=":material/dashboard:", default=True),
        st.Page("pages/trends.py", title="趋势", icon=":material/show_chart:",
                url_path=state.TRENDS_PAGE),
        st.Page("pages/evaluation.py", title="中期评估", icon=":material/fact_check:",
                url_path=state.EVALUATION_PAGE),
    ],
    "数据": [
        st.Page("pages/upload.py", title="数据上传", icon=":material/upload_file:",
                url_path=state.UPLOAD_PAGE),
        st.Page("pages/batches.py", title="导入记录", icon=":material/history:",
                url_path=state.BATCHES_PAGE),
    ],
}
feedback.guarded(st.navigation(pages).run)
