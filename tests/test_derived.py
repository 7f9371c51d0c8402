"""Frames derived from the catalogue are worked out once per catalogue object, and what a
caller does with its copy never reaches the next caller."""
import dataclasses
import gc

from metrics.evaluation import derived, engine


def test_an_outline_s_indicators_are_worked_out_once_per_catalogue(real_catalogue, monkeypatch):
    cat = dataclasses.replace(real_catalogue)     # an object of this test's own
    built = []
    real = engine.listed_indicators

    def counting(c, outline_id):
        built.append(outline_id)
        return real(c, outline_id)
    monkeypatch.setattr(engine, "listed_indicators", counting)
    first = engine.outline_indicators(cat, "women-2021-2030")
    again = engine.outline_indicators(cat, "women-2021-2030")
    engine.outline_indicators(cat, "children-2021-2030")
    assert built == ["women-2021-2030", "children-2021-2030"]
    assert first.equals(again) and first.equals(real(cat, "women-2021-2030"))

    first.loc[0, "name"] = "改过的名称"               # a caller changing its copy
    assert engine.outline_indicators(cat, "women-2021-2030").loc[0, "name"] != "改过的名称"

    other = dataclasses.replace(real_catalogue)   # another catalogue: worked out again
    engine.outline_indicators(other, "women-2021-2030")
    assert built == ["women-2021-2030", "children-2021-2030", "women-2021-2030"]


def test_what_was_derived_goes_with_its_catalogue(real_catalogue):
    cat = dataclasses.replace(real_catalogue)
    engine.outline_indicators(cat, "women-2021-2030")
    key = id(cat)
    assert key in derived.KEPT
    del cat
    gc.collect()
    assert key not in derived.KEPT
