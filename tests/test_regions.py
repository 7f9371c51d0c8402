"""The region tree and the region resolver on the real data/regions.csv (3,211 regions, 64 of
them sharing 28 names) and the demonstration city."""
import numpy as np
import pytest

from metrics import regions


@pytest.fixture(scope="module")
def tree(real_catalogue) -> regions.RegionTree:
    return regions.RegionTree(real_catalogue.regions)


@pytest.mark.parametrize("code, expected", [
    ("000000", ["000000"]),
    ("450000", ["000000", "450000"]),
    ("450802", ["000000", "450000", "450800", "450802"]),
    ("220104", ["000000", "220000", "220100", "220104"]),
    ("110105", ["000000", "110000", "110105"]),         # a municipality's district: no city
    ("990124", ["000000", "990100", "990124"]),         # the demonstration city hangs off 全国
    ("123456", ["000000"]),                             # unknown: just 全国
])
def test_ancestors_run_from_the_top_down(tree, code, expected):
    assert tree.ancestors(code) == expected


@pytest.mark.parametrize("code, expected", [
    ("000000", []),
    ("450000", ["广西壮族自治区"]),
    ("450802", ["广西壮族自治区", "贵港市", "港北区"]),
    ("220104", ["吉林省", "长春市", "朝阳区"]),
    ("110105", ["北京市", "朝阳区"]),
    ("123456", []),
])
def test_path_names_leave_out_the_nation(tree, code, expected):
    assert tree.path_names(code) == expected


def test_ancestor_positions_of_every_region_match_a_walk_up_the_parent_column(tree,
                                                                            real_catalogue):
    frame = real_catalogue.regions
    parent = dict(zip(frame["code"], frame["parent_code"]))
    codes = list(frame["code"]) + ["123456"]
    table = tree.ancestor_positions(codes)
    assert table.shape == (len(codes), 5)              # county → city → province → 全国, then −1
    for row, code in zip(table, codes):
        walked = []
        while code in parent:
            walked.append(code)
            code = parent[code]
        assert list(frame["code"].to_numpy()[row[row >= 0]]) == walked


@pytest.mark.parametrize("code, first, count", [
    ("450800", ["450802", "450803", "450804"], 5),
    ("990100", ["990102", "990103", "990121"], 7),
    ("450802", [], 0),
])
def test_children_in_official_order(tree, code, first, count):
    children = tree.children(code)
    assert list(children["code"][:3]) == first and len(children) == count


def test_children_of_the_nation_are_the_provinces_and_the_demo_city(tree):
    levels = tree.children("000000")["level"].value_counts().to_dict()
    assert levels == {"province": 31, "city": 1}


@pytest.mark.parametrize("tops, expected", [
    (["450800"], [True, True, False, False, False]),
    (["450000"], [True, True, True, False, False]),
    (["000000"], [True, True, True, True, False]),
    (["110000", "220100"], [False, False, False, True, False]),
    (["123456"], [False, False, False, False, False]),
])
def test_under_includes_the_tops_themselves(tree, tops, expected):
    codes = ["450802", "450800", "450000", "220104", "123456"]
    assert list(tree.under(codes, tops)) == expected
