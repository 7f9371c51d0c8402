"""The 评估简报 tab of the evaluation page: built only on the button, offered for download,
never rebuilt by a rerun."""
import pytest
from streamlit.testing.v1 import AppTest

from metrics.config import BASE_DIR
from metrics.reports import briefing, chart_images

# AppTests in one process share Streamlit's caches; each test starts clean.
pytestmark = pytest.mark.usefixtures("fresh_caches", "signed_in")


PAGE = str(BASE_DIR / "pages" / "evaluation.py")


@pytest.fixture
def counted_builds(monkeypatch):
    """Count briefing builds; charts fail fast as without a browser, to keep the test quick."""
    def no_browser(fig):
        raise RuntimeError("测试中不导出图表")
    monkeypatch.setattr(chart_images, "png", no_browser)
    builds = []
    real_build = briefing.build

    def counting(*args, **kwargs):
        builds.append(args[3])
        return real_build(*args, **kwargs)
    monkeypatch.setattr(briefing, "build", counting)
    return builds


def test_briefing_is_built_on_the_button_only(db, counted_builds):
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.query_params.update(plan="children-2021-2030", region="990124", year="2024")
    at.session_state["evaluation_tab"] = "评估简报"
    at.run()
    assert not at.exception and counted_builds == []
    [button] = [b for b in at.button if b.label == "生成简报"]
    button.click().run()
    assert not at.exception
    assert counted_builds == ["990124"]
    assert any("图表未能生成" in w.value for w in at.warning)
    downloads = at.get("download_button")
    assert len(downloads) == 2
    at.run()  # any later rerun keeps the built files and builds nothing
    assert counted_builds == ["990124"] and len(at.get("download_button")) == 2
