"""The overview's tables on the shipped data."""
from metrics import catalogue, config, evaluation
from metrics.evaluation import status
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
