"""The browser benchmark's viewer parts still run against the current code: browser contexts
and websocket clients at once (a module of their own, so that a second test worker runs them
beside the other parts)."""
from test_bench import CONTENT_PAGES, browser_bench, needs_chromium, number, table_rows


@needs_chromium
def test_the_browser_benchmark_reports_viewers_in_browsers_and_on_sockets(db, tmp_path):
    out = browser_bench(db, tmp_path, "viewers,sockets")
    viewers = table_rows(out, "## viewers")
    assert set(viewers) == {("2", page) for page in ("evaluation", "overview")}
    for p50, p95, longest, errors, cpu, load in viewers.values():
        assert 0 < number(p50) <= number(p95) <= number(longest) and errors == "0"
    sockets = table_rows(out, "## sockets")
    assert set(sockets) == {("2", page) for page in CONTENT_PAGES}
    for first, p50, p95, longest, errors, cpu, load in sockets.values():
        assert 0 < number(first) <= number(p50) <= number(p95) <= number(longest)
        assert errors == "0" and number(cpu) > 0
