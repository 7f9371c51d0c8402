"""Text from users is shown as written wherever the app renders Markdown: a link or an image
written into a cell, a note or a user name never becomes a link or an image in the app's own
messages (the browser check is in test_browser.py)."""
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from test_batches_page import import_file
from test_upload_page import VALID, open_page, upload

from metrics.config import BASE_DIR
from pages.ui.markdown_text import literal, literal_table, quoted_list

pytestmark = pytest.mark.usefixtures("fresh_caches", "signed_in")

HOSTILE = "[x](http://example.invalid) ![](http://127.0.0.1:9/x.png)"
# An invisible word joiner (U+2060) after each "http:" stops the autolinking of the address.
ESCAPED = (r"\[x\]\(http\:" "\u2060" r"//example\.invalid\) \!\[\]\(http\:" "\u2060"
           r"//127\.0\.0\.1\:9/x\.png\)")


@pytest.mark.parametrize("text, shown", [
    (HOSTILE, ESCAPED), ("**粗体**", r"\*\*粗体\*\*"), ("$x$", r"\$x\$"), ("<img>", r"\<img\>"),
    (":red[字]", r"\:red\[字\]"), ("WWW.example.invalid", "WWW\u2060\\.example\\.invalid"),
    ("a@example.invalid", "a\\@\u2060example\\.invalid"), ("孕产妇死亡率", "孕产妇死亡率"),
])
def test_literal_escapes_what_markdown_would_act_on(text, shown):
    assert literal(text) == shown


def test_literal_table_escapes_text_cells_and_headings_only():
    table = literal_table(pd.DataFrame({"[列]": [HOSTILE], "数": [1]}))
    assert list(table.columns) == [r"\[列\]", "数"] and table.iloc[0].tolist() == [ESCAPED, 1]


def test_a_cell_quoted_in_the_problem_table_is_escaped(db):
    at = upload(open_page(), f"指标,地区,年份,数值\n{HOSTILE},全国,2024,13.9\n".encode("gbk"))
    assert not at.exception
    assert "未导入任何数据" in at.error[0].value
    assert at.table[0].value["问题"].tolist() == [f"指标「{ESCAPED}」不在指标目录中。"]


def test_the_user_name_of_an_earlier_import_is_escaped(db):
    # Account names may hold _ and @, which Markdown would turn into emphasis or a mail link.
    import_file(db, VALID.decode("gbk"), "年报.csv", user="_张_三@example.invalid")
    again = upload(open_page(), VALID)
    assert not again.exception
    assert "导入人：" + literal("_张_三@example.invalid") + "）" in again.info[0].value


def test_the_batch_note_is_escaped_but_the_page_keeps_its_own_markdown(db):
    batch = import_file(db, "指标,地区,年份,数值\n孕产妇死亡率,全国,2024,13.9\n", "年报.csv",
                        note=HOSTILE)
    at = AppTest.from_file(str(BASE_DIR / "pages" / "batches.py"), default_timeout=60).run()
    assert not at.exception
    assert any(f"备注：{ESCAPED}" in c.value for c in at.caption)
    assert any(m.value.startswith(f"**撤销批次 {batch}**") for m in at.markdown)


def test_a_quoted_list_escapes_html_keeps_one_line_each_and_is_left_untranslated():
    written = quoted_list(["<script>x</script> & Upload", "上一行\n\n下一行"])
    assert written == ('<ul translate="no"><li>&lt;script&gt;x&lt;/script&gt; &amp; Upload</li>'
                       "<li>上一行 下一行</li></ul>")
