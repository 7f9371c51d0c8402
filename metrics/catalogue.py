"""Load the catalogue under data/ (units, plans, areas, indicators, targets, regions, seed
observations) into typed DataFrames and check that the files agree with each other.

Each frame has exactly the columns of its store table, so loading into the store is a plain
replace. `check` returns every contradiction at once, in Chinese; `load` raises CatalogueError
with all of them, because a half-consistent catalogue must never reach the store.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from metrics import config
from metrics.errors import CatalogueError, NotFoundError
from metrics.store.interface import (
    CATALOGUE_TABLES,
    LOCAL_INDICATOR_FIELDS,
    USER_PLAN_INDICATOR_FIELDS,
    Store,
)

LIST_SEPARATOR = "|"
DIRECTIONS = {"higher", "lower", "band"}
TARGET_KINDS = {"at_least", "at_most", "around", "maintain", "increase", "decrease", "reduce_by_pct"}
KINDS_WITH_VALUE = {"at_least", "at_most", "around", "reduce_by_pct"}
LEVELS = ["national", "province", "city", "county"]
DOMAINS = ["women", "children"]  # the order the State Council lists the two outlines in
VERIFIED = {"yes", "not_found", "changed"}
STATISTICAL_YEARS = {"calendar", "mch", "school"}

INDICATOR_COLUMNS = [
    "code", "name", "aliases", "name_en", "unit", "direction", "decimals", "valid_min",
    "valid_max", "definition", "data_source", "lead_department", "supporting_departments",
    "statistical_year", "note",
]
OBSERVATION_COLUMNS = [
    "indicator_code", "region_code", "year", "value", "numerator", "denominator", "source", "note",
]
# Columns read as text whatever they look like: codes keep their leading zeros.
TEXT_COLUMNS = {"code", "region_code", "parent_code", "plan_id", "indicator_code", "area_code",
                "id", "parent_plan", "unit", "outline_name"}


@dataclass(frozen=True)
class Catalogue:
    """The whole catalogue, one frame per store table."""
    units: pd.DataFrame
    plans: pd.DataFrame
    areas: pd.DataFrame
    indicators: pd.DataFrame
    plan_indicators: pd.DataFrame
    targets: pd.DataFrame
    regions: pd.DataFrame
    observations: pd.DataFrame  # seed observations: real figures and the demo dataset
    # The users' local plans' own indicators as stored (USER_PLAN_INDICATOR_FIELDS): besides
    # their targets (in `targets`), who is responsible for each and which the plan dropped.
    user_plan_indicators: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=USER_PLAN_INDICATOR_FIELDS))
    # Indicators local plans define themselves (LOCAL_INDICATOR_FIELDS), read from the store;
    # each is also a row of `indicators`, so that it is looked up by code like any other.
    local_indicators: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=LOCAL_INDICATOR_FIELDS))

    def tables(self) -> dict[str, pd.DataFrame]:
        """Catalogue tables in load order (observations are seeded separately)."""
        return {name: getattr(self, name) for name in CATALOGUE_TABLES}


def read_csv(path: Path) -> pd.DataFrame:
    """Read one catalogue CSV; code-like columns stay text, empty cells become NA."""
    header = pd.read_csv(path, nrows=0, encoding="utf-8").columns
    dtypes = {c: "string" for c in header if c in TEXT_COLUMNS}
    frame = pd.read_csv(path, dtype=dtypes, encoding="utf-8", keep_default_na=False,
                        na_values=[""])
    return frame.convert_dtypes()


def load_indicators(path: Path) -> pd.DataFrame:
    """indicators.yaml → one row per indicator; list fields joined with '|'."""
    with path.open(encoding="utf-8") as fh:
        entries = yaml.safe_load(fh)
    rows = []
    for entry in entries:
        row = {column: entry.get(column) for column in INDICATOR_COLUMNS}
        row["aliases"] = LIST_SEPARATOR.join(entry.get("aliases") or [])
        row["supporting_departments"] = LIST_SEPARATOR.join(
            entry.get("supporting_departments") or [])
        rows.append(row)
    frame = pd.DataFrame(rows, columns=INDICATOR_COLUMNS)
    for column in ("valid_min", "valid_max"):
        frame[column] = pd.to_numeric(frame[column]).astype("Float64")
    frame["decimals"] = frame["decimals"].astype("Int64")
    return frame


def load_regions(data_dir: Path) -> pd.DataFrame:
    """Real regions plus the demonstration regions, with an is_demo flag."""
    real = read_csv(data_dir / "regions.csv").assign(is_demo=False)
    demo_file = data_dir / "demo" / "regions.csv"
    if not demo_file.exists():
        return real
    demo = read_csv(demo_file).assign(is_demo=True)
    return pd.concat([real, demo], ignore_index=True)


def load_observations(data_dir: Path) -> pd.DataFrame:
    """Every seed observation file: observations/*.csv and demo/observations.csv."""
    files = sorted((data_dir / "observations").glob("*.csv"))
    demo_file = data_dir / "demo" / "observations.csv"
    if demo_file.exists():
        files.append(demo_file)
    frames = [read_csv(f).reindex(columns=OBSERVATION_COLUMNS) for f in files]
    frame = pd.concat(frames, ignore_index=True)
    for column in ("value", "numerator", "denominator"):
        frame[column] = pd.to_numeric(frame[column]).astype("Float64")
    frame["year"] = frame["year"].astype("Int64")
    for column in ("source", "note"):
        frame[column] = frame[column].astype("string")
    return frame


def load_plan_indicators(data_dir: Path) -> pd.DataFrame:
    """plan_indicators.csv, main_target as a boolean, outline_name NA where the outline uses
    the indicator's own name."""
    plan_indicators = read_csv(data_dir / "plan_indicators.csv")
    plan_indicators["main_target"] = plan_indicators["main_target"].eq("yes")
    plan_indicators["outline_name"] = plan_indicators["outline_name"].astype("string")
    return plan_indicators


def load(data_dir: Path | None = None) -> Catalogue:
    """Read and check the catalogue; raise CatalogueError listing every problem."""
    data_dir = data_dir or config.DATA_DIR
    plan_indicators = load_plan_indicators(data_dir)
    catalogue = Catalogue(
        units=read_csv(data_dir / "units.csv"),
        plans=read_csv(data_dir / "plans.csv"),
        areas=read_csv(data_dir / "areas.csv"),
        indicators=load_indicators(data_dir / "indicators.yaml"),
        plan_indicators=plan_indicators,
        targets=read_csv(data_dir / "targets.csv"),
        regions=load_regions(data_dir),
        observations=load_observations(data_dir),
    )
    problems = check(catalogue)
    if problems:
        raise CatalogueError("目录文件有误：\n" + "\n".join(problems))
    return catalogue


def check(cat: Catalogue) -> list[str]:
    """Every contradiction in the catalogue, as Chinese sentences (empty list = consistent)."""
    return (check_keys(cat) + check_references(cat) + check_indicators(cat)
            + check_outline_names(cat) + check_targets(cat) + check_observations(cat))


def duplicated_keys(frame: pd.DataFrame, key: list[str]) -> list[str]:
    """Key values that occur more than once, rendered for a message."""
    dup = frame[frame.duplicated(key, keep=False)]
    return sorted({"/".join(str(v) for v in row) for row in dup[key].itertuples(index=False)})


def check_keys(cat: Catalogue) -> list[str]:
    """Primary keys are unique in every file."""
    keys = {"units": ["unit"], "plans": ["id"], "areas": ["plan_id", "area_code"],
            "indicators": ["code"], "plan_indicators": ["plan_id", "indicator_code"],
            "targets": ["plan_id", "indicator_code"], "regions": ["code"],
            "observations": ["indicator_code", "region_code", "year"]}
    problems = []
    for table, key in keys.items():
        for value in duplicated_keys(getattr(cat, table), key):
            problems.append(f"{table}: 键 {value} 重复")
    return problems


def missing(values: pd.Series, allowed: pd.Series | set) -> list[str]:
    """Distinct non-empty values not in `allowed`."""
    allowed = set(allowed)
    return sorted({v for v in values.dropna() if v not in allowed})


def check_references(cat: Catalogue) -> list[str]:
    """Cross-file references point at rows that exist."""
    indicators, plans, regions = cat.indicators["code"], cat.plans["id"], cat.regions["code"]
    area_keys = set(zip(cat.areas["plan_id"], cat.areas["area_code"]))
    refs = [
        ("targets.plan_id", cat.targets["plan_id"], plans),
        ("targets.indicator_code", cat.targets["indicator_code"], indicators),
        ("plan_indicators.plan_id", cat.plan_indicators["plan_id"], plans),
        ("plan_indicators.indicator_code", cat.plan_indicators["indicator_code"], indicators),
        ("plans.region_code", cat.plans["region_code"], regions),
        ("plans.parent_plan", cat.plans["parent_plan"], plans),
        ("regions.parent_code", cat.regions["parent_code"], regions),
        ("indicators.unit", cat.indicators["unit"], cat.units["unit"]),
        ("observations.indicator_code", cat.observations["indicator_code"], indicators),
        ("observations.region_code", cat.observations["region_code"], regions),
    ]
    problems = [f"{where} 引用了不存在的 {value}"
                for where, values, allowed in refs for value in missing(values, allowed)]
    pi_areas = zip(cat.plan_indicators["plan_id"], cat.plan_indicators["area_code"])
    problems += [f"plan_indicators 引用了不存在的领域 {p}/{a}"
                 for p, a in sorted(set(pi_areas) - area_keys)]
    problems += [f"regions.level 取值 {v} 无效" for v in missing(cat.regions["level"], LEVELS)]
    return problems


def check_indicators(cat: Catalogue) -> list[str]:
    """Directions, statistical years and names are valid; no alias names two indicators."""
    ind = cat.indicators
    problems = [f"indicators.direction 取值 {v} 无效" for v in missing(ind["direction"], DIRECTIONS)]
    problems += [f"indicators.statistical_year 取值 {v} 无效"
                 for v in missing(ind["statistical_year"], STATISTICAL_YEARS)]
    names = ind[["code", "name"]].assign(kind="name")
    aliases = ind.assign(name=ind["aliases"].str.split(LIST_SEPARATOR))[["code", "name"]]
    aliases = aliases.explode("name").query("name != ''").assign(kind="alias")
    all_names = pd.concat([names, aliases]).drop_duplicates(["code", "name"])
    for name in duplicated_keys(all_names, ["name"]):
        codes = ", ".join(all_names.loc[all_names["name"] == name, "code"])
        problems.append(f"名称或别名「{name}」同时指向多个指标：{codes}")
    listed = set(cat.plan_indicators["indicator_code"])
    problems += [f"指标 {c} 未列入任何纲要" for c in ind["code"] if c not in listed]
    return problems


def check_outline_names(cat: Catalogue) -> list[str]:
    """An outline's own name for an indicator is one of the indicator's aliases, so a table
    written in the outline's wording is read as that indicator; an outline using the indicator's
    name leaves outline_name empty."""
    named = cat.plan_indicators.dropna(subset=["outline_name"]).merge(
        cat.indicators[["code", "name", "aliases"]], left_on="indicator_code", right_on="code")
    problems = []
    for row in named.itertuples():
        if row.outline_name == row.name:
            problems.append(f"plan_indicators {row.plan_id}/{row.indicator_code}：outline_name "
                            f"与指标名称相同，应留空")
        elif row.outline_name not in (row.aliases or "").split(LIST_SEPARATOR):
            problems.append(f"plan_indicators {row.plan_id}/{row.indicator_code}：outline_name"
                            f"「{row.outline_name}」不是该指标的别名，请在 indicators.yaml 中补充")
    return problems


def check_targets(cat: Catalogue) -> list[str]:
    """Target kinds fit the indicator's direction and carry a value when they need one."""
    merged = cat.targets.merge(cat.indicators[["code", "direction"]],
                               left_on="indicator_code", right_on="code", how="left")
    problems = [f"targets.kind 取值 {v} 无效" for v in missing(merged["kind"], TARGET_KINDS)]
    problems += [f"targets.verified 取值 {v} 无效" for v in missing(merged["verified"], VERIFIED)]
    # A band indicator may carry a one-sided target in another plan (就业人员中的女性比例:
    # ≥40% in 2011–2020, about 45% in 2021–2030).
    mismatched = (
        (merged["kind"].eq("at_least") & merged["direction"].eq("lower"))
        | (merged["kind"].eq("at_most") & merged["direction"].eq("higher"))
        | (merged["kind"].eq("around") & merged["direction"].ne("band"))
        | (merged["kind"].eq("reduce_by_pct") & merged["direction"].ne("lower"))
    )
    for row in merged[mismatched].itertuples():
        problems.append(f"目标 {row.plan_id}/{row.indicator_code}：{row.kind} 与指标方向 "
                        f"{row.direction} 不符")
    needs_value = merged["kind"].isin(KINDS_WITH_VALUE) & merged["value"].isna()
    for row in merged[needs_value].itertuples():
        problems.append(f"目标 {row.plan_id}/{row.indicator_code}：{row.kind} 缺少目标值")
    return problems


def check_observations(cat: Catalogue) -> list[str]:
    """Every seed value lies inside its indicator's valid range."""
    bounds = valid_ranges(cat.indicators, cat.units)
    obs = cat.observations.merge(bounds, left_on="indicator_code", right_on="code", how="inner")
    outside = (obs["value"] < obs["low"]) | (obs["value"] > obs["high"])
    return [f"观测值 {r.indicator_code}/{r.region_code}/{r.year} = {r.value} 超出有效范围 "
            f"[{r.low}, {r.high}]" for r in obs[outside.fillna(False)].itertuples()]


def valid_ranges(indicators: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Per indicator code: low and high bounds (indicator's own, else its unit's default)."""
    merged = indicators.merge(units[["unit", "default_min", "default_max"]], on="unit", how="left")
    low = merged["valid_min"].fillna(merged["default_min"]).astype("Float64")
    high = merged["valid_max"].fillna(merged["default_max"]).astype("Float64")
    return pd.DataFrame({"code": merged["code"], "low": low.fillna(float("-inf")),
                         "high": high.fillna(float("inf"))})


def find_plan(plans: pd.DataFrame, plan_id: str) -> pd.Series:
    """The plans row of `plan_id` (a national outline or a local plan); NotFoundError listing
    the valid ids when there is none."""
    if plan_id not in set(plans["id"]):
        raise NotFoundError(f"找不到纲要「{plan_id}」，可选：{'、'.join(plans['id'])}")
    return plans.set_index("id").loc[plan_id]


def outline_of(plans: pd.DataFrame, plan_id: str) -> str:
    """The national outline a plan derives from, following parent plans up (a city plan →
    the province's plan → the outline); a national outline is its own."""
    parents = plans.set_index("id")["parent_plan"]
    seen = {plan_id}
    while pd.notna(parents.get(plan_id)):
        plan_id = parents[plan_id]
        if plan_id in seen:
            raise CatalogueError(f"规划「{plan_id}」的上级规划形成循环")
        seen.add(plan_id)
    return plan_id


def national_outlines(plans: pd.DataFrame) -> list[str]:
    """Ids of the national outlines, the newest period first and women before children within
    one (women-2021-2030, children-2021-2030, women-2011-2020, children-2011-2020)."""
    national = plans[plans["level"] == "national"]
    domain_order = national["domain"].map({d: i for i, d in enumerate(DOMAINS)})
    ordered = national.assign(domain_order=domain_order).sort_values(
        ["start_year", "domain_order"], ascending=[False, True], kind="stable")
    return list(ordered["id"])


def indicator_names(cat: Catalogue, outline_id: str) -> pd.Series:
    """Indicator code → the name the outline uses for it (学前三年毛入园率 in the 2011–2020
    outlines, 学前教育毛入园率 in the 2021–2030 ones): its outline_name, else the indicator's
    name. Every indicator of the catalogue is named, those the outline does not list by their
    own name."""
    listed = cat.plan_indicators[cat.plan_indicators["plan_id"] == outline_id]
    own = pd.Series(listed["outline_name"].to_numpy(), index=listed["indicator_code"].to_numpy())
    names = cat.indicators.set_index("code")["name"]
    return own.reindex(names.index).fillna(names)


def read_from_store(store: Store) -> Catalogue:
    """The catalogue as the store holds it (observations left empty: they are queried), with
    the local plans users created: such a plan replaces a plan from data/ of the same id."""
    with store.session() as reading:
        tables = {name: reading.read_table(name) for name in CATALOGUE_TABLES}
        user_plans = reading.fetch_user_plans()
        user_indicators = reading.fetch_user_plan_indicators()
        local = reading.fetch_local_indicators()
    tables["plans"], tables["targets"] = with_user_plans(
        tables["plans"], tables["targets"], user_plans, user_indicators)
    tables["indicators"] = with_local_indicators(tables["indicators"], local)
    empty = pd.DataFrame(columns=OBSERVATION_COLUMNS)
    return Catalogue(observations=empty, user_plan_indicators=user_indicators,
                     local_indicators=local, **tables)


def with_local_indicators(indicators: pd.DataFrame, local: pd.DataFrame) -> pd.DataFrame:
    """The catalogue's indicators and, after them, those local plans define (counted in the
    calendar year: a grassroots work metric is reported for the year it was done); lists are
    '' when empty, as load_indicators makes them."""
    if local.empty:
        return indicators
    rows = local.reindex(columns=indicators.columns).assign(statistical_year="calendar")
    rows[["aliases", "supporting_departments"]] = rows[
        ["aliases", "supporting_departments"]].fillna("")
    return pd.concat([indicators, rows.astype(indicators.dtypes.to_dict())], ignore_index=True)


def monitored_indicators(cat: Catalogue) -> pd.DataFrame:
    """Which outline monitors which indicator (plan_id, indicator_code): plan_indicators'
    rows and each local indicator under its plan's outline, for those whose grant names
    outlines (public mode)."""
    local = cat.local_indicators[["outline_id", "code"]].set_axis(["plan_id", "indicator_code"],
                                                                  axis=1)
    return pd.concat([cat.plan_indicators[["plan_id", "indicator_code"]], local],
                     ignore_index=True)


def national_indicators(cat: Catalogue) -> pd.DataFrame:
    """The indicators of the catalogue in data/, without those local plans define: what a
    name or alias is matched against everywhere (a local one only where its plan governs)."""
    return cat.indicators[~cat.indicators["code"].isin(cat.local_indicators["code"])]


def with_user_plans(plans: pd.DataFrame, targets: pd.DataFrame, user_plans: pd.DataFrame,
                    user_indicators: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The plans and targets of data/ with the users' plans in place of any of the same id;
    a user plan's indicators that set no target (responsibility only) inherit it, and those
    it dropped set none (their target is kept in the store for a restore)."""
    if user_plans.empty:
        return plans, targets
    replaced = plans["id"].isin(user_plans["id"])
    own = user_plans.reindex(columns=plans.columns).astype(plans.dtypes.to_dict())
    merged_plans = pd.concat([plans[~replaced], own], ignore_index=True)
    setting = user_indicators["kind"].notna() & user_indicators["dropped_reason"].isna()
    set_targets = user_indicators[setting].reindex(
        columns=targets.columns).astype(targets.dtypes.to_dict())
    kept = targets[~targets["plan_id"].isin(user_plans["id"])]
    return merged_plans, pd.concat([kept, set_targets], ignore_index=True)
