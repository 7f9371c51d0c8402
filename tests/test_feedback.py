"""Errors on a page reach people in Chinese: a MetricsError as its message and hint, anything
else as a message with an error number that the server log holds with the traceback."""
import logging

from streamlit.testing.v1 import AppTest


def failing_page(error: str) -> None:
    """A page whose body raises; run through feedback.guarded as dashboard.py runs pages."""
    from metrics.errors import NotFoundError, StoreBusyError
    from pages.ui import feedback

    def body():
        import streamlit as st
        st.title("页面")
        if error == "busy":
            raise StoreBusyError("数据库正被另一个进程占用。")
        if error == "quoting":
            raise NotFoundError("找不到地区「[点此](http://example.com) $x$」。")
        if error == "bug":
            raise KeyError("region")
        st.stop()
    feedback.guarded(body)


def run(error: str) -> AppTest:
    return AppTest.from_function(failing_page, args=(error,), default_timeout=30).run()


def test_a_metrics_error_shows_its_message_and_hint():
    at = run("busy")
    assert not at.exception
    assert at.error[0].value == "数据库正被另一个进程占用。"
    assert at.caption[0].value == "请稍后刷新页面重试。"


def test_text_a_user_wrote_is_shown_as_written_not_as_markdown():
    at = run("quoting")
    shown = at.error[0].value
    assert "\\[点此\\]\\(http\\:\u2060//example\\.com\\)" in shown and "\\$x\\$" in shown


def test_an_unexpected_error_shows_a_number_that_the_log_also_holds(caplog):
    with caplog.at_level(logging.ERROR, logger="metrics.app"):
        at = run("bug")
    assert not at.exception                      # no Streamlit error page, no English
    message = at.error[0].value
    assert "页面出现意外错误" in message and "错误编号" in message
    number = message.split("错误编号 ")[1].split("）")[0]
    [record] = [r for r in caplog.records if number in r.getMessage()]
    assert record.exc_info[0] is KeyError        # the traceback is in the log


def test_stop_and_rerun_pass_through():
    at = run("none")
    assert not at.exception and not at.error and at.title[0].value == "页面"
