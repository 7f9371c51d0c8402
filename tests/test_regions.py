"""The region tree and the region resolver on the real data/regions.csv (3,211 regions, 64 of
them sharing 28 names) and the demonstration city."""
import pandas as pd
import pytest

from metrics import regions
from metrics.errors import NotFoundError


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


@pytest.fixture(scope="module")
def resolver(real_catalogue) -> regions.RegionResolver:
    return regions.RegionResolver(real_catalogue.regions)


@pytest.mark.parametrize("text, expected", [
    ("450800", ["450800"]),
    ("４５０８００", ["450800"]),                         # full-width digits
    (" 450800 ", ["450800"]),
    ("0", ["000000"]),                                  # leading zeros left off
    ("000000", ["000000"]),
    ("贵港市", ["450800"]),                              # full name
    ("贵港", ["450800"]),                                # short name
    ("广西壮族自治区", ["450000"]),
    ("广西壮族", ["450000"]),                            # name without its suffix
    ("广西", ["450000"]),
    ("港北区", ["450802"]),
    ("松屏县", ["990124"]),                              # the demonstration city's county
    ("朝阳区", ["110105", "220104"]),                    # ambiguous
    ("鼓楼区", ["320106", "320302", "350102", "410204"]),
    ("港东区", []),                                      # unknown name
    ("贵港县", []),                                      # 县 contradicts the city 贵港市
    ("吉林县", []),                                      # …and both 吉林省 and 吉林市
    ("广西省", ["450000"]),                              # 省 agrees with a province
    ("港北", ["450802"]),                                # no suffix written: may match
    ("123456", []),                                      # unknown code
    ("4508000", []),                                     # seven digits are no code
])
def test_candidates(resolver, text, expected):
    assert resolver.candidates(text) == expected


@pytest.mark.parametrize("text, parent, expected", [
    ("朝阳区", "北京市", ["110105"]),
    ("朝阳区", "长春市", ["220104"]),
    ("朝阳区", "吉林", ["220104"]),                      # a grandparent, by short name
    ("鼓楼区", "南京市", ["320106"]),
    ("鼓楼区", "320300", ["320302"]),                    # the parent by code
    ("朝阳区", "", ["110105", "220104"]),                # no parent: still ambiguous
    ("朝阳区", "上海市", ["110105", "220104"]),          # a parent above neither
])
def test_narrow_by_parent(resolver, text, parent, expected):
    assert resolver.narrow(resolver.candidates(text), parent) == expected


@pytest.mark.parametrize("text, code", [
    ("４５０８００", "450800"), ("0", "000000"), ("贵港", "450800"), ("广西壮族", "450000"),
])
def test_resolve_one_returns_the_region_row(resolver, text, code):
    assert resolver.resolve_one(text)["code"] == code


@pytest.mark.parametrize("text, message", [
    ("朝阳区", "地区「朝阳区」不唯一：北京市/朝阳区（110105）、吉林省/长春市/朝阳区（220104），"
               "请改用行政区划代码。"),
    ("港东区", "找不到地区「港东区」，请用六位行政区划代码或地区全称。"),
])
def test_resolve_one_refuses_unknown_and_ambiguous_names(resolver, text, message):
    with pytest.raises(NotFoundError) as refused:
        resolver.resolve_one(text)
    assert str(refused.value) == message


def test_resolve_column_gives_codes_and_the_candidates_of_ambiguous_rows(resolver):
    texts = pd.Series(["港北区", "朝阳区", "朝阳区", "４５０８００", "港东区", None],
                      index=[10, 11, 12, 13, 14, 15])
    parents = pd.Series([None, "长春市", None, None, None, None], index=texts.index)
    codes, ambiguous = resolver.resolve_column(texts, parents)
    assert codes.tolist() == ["450802", "220104", pd.NA, "450800", pd.NA, pd.NA]
    assert ambiguous.to_dict() == {12: ["北京市/朝阳区（110105）", "吉林省/长春市/朝阳区（220104）"]}


def test_every_shared_name_is_ambiguous_alone_and_resolved_with_its_parent(resolver,
                                                                          real_catalogue):
    frame = real_catalogue.regions
    shared = frame[frame["name"].duplicated(keep=False)]
    assert (len(shared), shared["name"].nunique()) == (64, 28)
    parent_name = dict(zip(frame["code"], frame["name"]))
    for code, name, parent in zip(shared["code"], shared["name"], shared["parent_code"]):
        assert len(resolver.candidates(name)) > 1
        assert resolver.narrow(resolver.candidates(name), parent_name[parent]) == [code]


@pytest.mark.parametrize("show, demo_regions", [(True, 8), (False, 0)])
def test_visible_regions_hide_the_demo_city_when_the_settings_say_so(real_catalogue, show,
                                                                     demo_regions):
    visible = regions.visible_regions(real_catalogue.regions, show)
    assert int(visible["is_demo"].sum()) == demo_regions
    assert int((~visible["is_demo"]).sum()) == 3211


@pytest.mark.parametrize("roots, show_demo", [(("000000",), True), (("450000",), False),
                                             (("450802",), False)])
def test_the_pickers_offer_each_regions_children_as_the_tree_orders_them(real_catalogue, roots,
                                                                        show_demo):
    offered = regions.offered(real_catalogue.regions, regions.RegionTree(real_catalogue.regions),
                              roots, show_demo)
    parents = set(offered.regions["parent_code"].dropna())
    assert set(offered.pickers) == parents
    for code, picker in offered.pickers.items():
        children = offered.tree.children(code)
        assert list(picker.labels) == list(children["code"])
        assert list(picker.labels.values()) == [regions.label(r) for _, r in children.iterrows()]
        assert picker.level == children["level"].iloc[0]
    row = offered.row(roots[0])
    assert (row.name, row["code"]) == (roots[0], roots[0])


@pytest.mark.parametrize("text, names", [
    ("贵港县", ["贵港市"]), ("吉林县", ["吉林省", "吉林市"]), ("港北市", []),   # 市 may be a county
    ("贵港", []), ("贵港市", []), ("港东区", []),
])
def test_a_suffix_contradicting_the_level_names_the_close_regions(resolver, text, names):
    assert resolver.contradicted(text) == names


def test_resolve_one_asks_about_a_contradicting_suffix(resolver):
    with pytest.raises(NotFoundError, match="“县”与贵港市的级别不符，是否为：贵港市？"):
        resolver.resolve_one("贵港县")


# How people shorten an autonomous region's name: its short name and the last character of
# its kind (延边朝鲜族自治州 → 延边州, 青龙满族自治县 → 青龙县, 鄂伦春自治旗 → 鄂伦春旗).
SHORTENED = {"自治州": "州", "自治县": "县", "自治旗": "旗"}


def test_every_autonomous_region_shortened_is_found_or_named_among_its_namesakes(
        real_catalogue, resolver):
    autonomous = real_catalogue.regions[real_catalogue.regions["name"].str.endswith(
        tuple(SHORTENED))]
    assert len(autonomous) > 100
    for code, name, short in autonomous[["code", "name", "short_name"]].itertuples(index=False):
        written = short + SHORTENED[name[-3:]]
        found = resolver.candidates(written)
        assert code in found, (written, found)
        if len(found) > 1:  # ambiguous: refused, naming every candidate
            with pytest.raises(NotFoundError, match="不唯一") as refused:
                resolver.resolve_one(written)
            assert all(c in str(refused.value) for c in found)


@pytest.mark.parametrize("text, expected", [
    ("延边州", ["222400"]), ("恩施州", ["422800"]), ("本溪县", ["210521"]),
    ("宽城县", ["130827"]), ("鄂伦春旗", ["150723"]), ("恩施", ["422800", "422801"])])
def test_short_forms_of_autonomous_regions(resolver, text, expected):
    assert resolver.candidates(text) == expected
