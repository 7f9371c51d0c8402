"""修改密码: the signed-in person changes their own password (the current one first); every
session of theirs ends, so they log in again with the new one."""
import streamlit as st

from metrics import login_routes
from metrics.access import Permission
from metrics.errors import MetricsError
from metrics.passwords import MIN_LENGTH
from pages.ui import cache, frame
from pages.ui.markdown_text import literal

cat, actor = frame.prepare(Permission.VIEW)
st.title("修改密码")
if not actor.grant.capture_roots:  # the public visitor has no account
    frame.ask_to_log_in()
st.caption(f"当前用户：{literal(actor.name)}（{actor.role_label}）。新密码至少 {MIN_LENGTH} 个字符；"
           "修改后所有已登录的页面都需重新登录。")
with st.form("change_password"):
    current = st.text_input("当前密码", type="password", max_chars=200)
    new = st.text_input("新密码", type="password", max_chars=200)
    again = st.text_input("再次输入新密码", type="password", max_chars=200)
    submitted = st.form_submit_button("修改密码", type="primary")
if submitted:
    if new != again:
        st.error("两次输入的新密码不一致。", icon=":material/error:")
        frame.stop()
    try:
        cache.change_own_password(current, new)
    except MetricsError as exc:
        st.error(literal(exc), icon=":material/error:")
        if exc.hint:
            st.caption(literal(exc.hint))
        frame.stop()
    st.success("密码已修改，请用新密码重新登录。", icon=":material/check_circle:")
    st.markdown(f'<a href="{login_routes.LOGIN_PATH}" target="_self">重新登录</a>',
                unsafe_allow_html=True)
