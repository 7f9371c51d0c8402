"""The overview's tables on the shipped data."""
from metrics import catalogue, config, evaluation
from metrics.evaluation import status
from metrics.reports import status_charts
from metrics.store import open_store
from metrics.views import overview

SETTINGS = config.settings().evaluation


def test_area_summary_keeps_a_column_for_every_flag_even_when_all_zero(template_db):
    store = open_store(template_db)
    cat = catalogue.read_from_store(store)
    # 松屏县 (demo county) has no indicator 已达标 under the women's outline in 2024.
    frame = evaluation.run(store, cat, "women-2021-2030", ["990124"], 2024,
                           settings=SETTINGS)
    assert not frame["status"].eq("achieved").any()
    summary = overview.area_summary(frame)
    assert list(summary.columns) == ["领域", "指标数", "有数据",
                                     *[s.label for s in status.STATUSES]]
    assert summary["已达标"].eq(0).all()
    assert summary[[s.label for s in status.STATUSES]].sum(axis=1).tolist() == \
        summary["指标数"].tolist()


def evaluated(template_db, outline: str, region: str, year: int):
    store = open_store(template_db)
    return evaluation.run(store, catalogue.read_from_store(store), outline, [region], year,
                          settings=SETTINGS)


def test_status_counts_give_every_flag_of_every_area_with_the_misses_counted(template_db):
    # 贵港市 2015 under the 2011–2020 women's outline: 九年义务教育巩固率 93.0% misses ≥95%
    # without a baseline, a 未达标 of its own; indicators without values are 数据不足.
    frame = evaluated(template_db, "women-2011-2020", "450800", 2015)
    counts = overview.status_counts(frame)
    areas = list(dict.fromkeys(frame.sort_values("area_order")["area_name"]))
    assert list(dict.fromkeys(counts["area_name"])) == areas
    assert len(counts) == len(areas) * len(status.STATUSES)
    assert list(counts["status"].head(len(status.STATUSES))) == [s.code for s in status.STATUSES]
    assert counts.groupby("area_name", sort=False)["count"].sum().tolist() == \
        frame.groupby("area_name", sort=False).size().reindex(areas).tolist()
    by_flag = counts.groupby("status")["count"].sum()
    assert by_flag["not_achieved"] == frame["status"].eq("not_achieved").sum() >= 1
    assert by_flag["insufficient_data"] == frame["status"].eq("insufficient_data").sum() >= 1
    assert dict(zip(counts["status"], counts["colour"])) == status.COLOURS


def test_status_bars_draw_a_piece_per_flag_present_in_its_colour_with_area_totals(template_db):
    frame = evaluated(template_db, "children-2021-2030", "990100", 2023)
    counts = overview.status_counts(frame)
    fig = status_charts.status_bars(counts)
    present = [s for s in status.STATUSES if frame["status"].eq(s.code).any()]
    assert [t.name for t in fig.data] == [s.label for s in present]
    assert [t.marker.color for t in fig.data] == [s.colour for s in present]
    areas = list(dict.fromkeys(counts["area_name"]))
    for trace, flag in zip(fig.data, present):
        assert list(trace.y) == areas
        expected = [int(((frame["area_name"] == a) & (frame["status"] == flag.code)).sum())
                    for a in areas]
        assert list(trace.x) == expected
        assert list(trace.text) == [str(n) if n else "" for n in expected]
    totals = {a.y: a.text for a in fig.layout.annotations}
    assert totals == {a: f"{n}项" for a, n in frame.groupby("area_name").size().items()}
    # The legend below the bars, nothing to drag or zoom on a phone.
    assert fig.layout.legend.y < 0 and fig.layout.dragmode is False
    assert fig.layout.xaxis.fixedrange and fig.layout.yaxis.fixedrange
