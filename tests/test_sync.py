"""`init` builds the store from data/, is idempotent, reports catalogue changes, and never
overwrites a value a user uploaded."""
import duckdb
import pandas as pd
import pytest

from metrics import store, sync
from metrics.errors import StoreError


def upload(path, rows: pd.DataFrame) -> int:
    """Write rows as a user's upload batch (the way the importer does)."""
    with store.transaction(path) as con:
        batch = store.create_batch(con, "upload", "测试员", "测试上传", file_name="t.csv")
        store.write_observations(con, batch, rows.iloc[:0], rows,
                                 {"new": 0, "changed": len(rows), "unchanged": 0})
    return batch


def national_value(path, code, year):
    with store.session(path) as con:
        obs = store.fetch_observations(con, [code], ["000000"])
    return obs.loc[obs["year"] == year, "value"].item()


def test_first_init_loads_catalogue_and_seed(db, real_catalogue):
    with store.session(db) as con:
        counts = store.count_rows(con)
    assert counts["indicators"] == len(real_catalogue.indicators)
    assert counts["regions"] == len(real_catalogue.regions)
    assert counts["targets"] == len(real_catalogue.targets)
    assert counts["observations"] == len(real_catalogue.observations)
    assert counts["batches"] == 1


def test_second_init_changes_nothing(db):
    report = sync.init(db)
    assert not report.changed
    assert report.lines() == ["数据库已是最新，无变化。"]
    with store.session(db) as con:
        assert store.count_rows(con)["batches"] == 1


def test_changed_catalogue_is_reported_and_applied(db, data_copy):
    targets = pd.read_csv(data_copy / "targets.csv", dtype=str, keep_default_na=False)
    row = targets.index[(targets["plan_id"] == "women-2021-2030")
                        & (targets["indicator_code"] == "maternal_mortality_ratio")][0]
    targets.loc[row, "value"] = "11"
    targets.to_csv(data_copy / "targets.csv", index=False)
    with (data_copy / "plans.csv").open("a", encoding="utf-8") as fh:
        fh.write("450000-women-2021-2030,广西妇女发展规划（2021—2030年）,广西妇女规划,women,"
                 "province,450000,women-2021-2030,2021,2020,2025,2030,测试\n")

    report = sync.init(db, data_copy)

    assert report.tables["targets"].changed == 1
    assert report.tables["plans"].added == 1
    assert report.tables["indicators"].changed == 0
    assert report.seed_new == report.seed_changed == 0
    with store.session(db) as con:
        stored = store.read_table(con, "targets")
    mmr = stored[(stored["plan_id"] == "women-2021-2030")
                 & (stored["indicator_code"] == "maternal_mortality_ratio")]
    assert mmr["value"].item() == 11
    assert not sync.init(db, data_copy).changed


def test_reinit_never_touches_uploaded_values(db, data_copy):
    upload(db, pd.DataFrame([{"indicator_code": "maternal_mortality_ratio",
                              "region_code": "000000", "year": 2024, "value": 14.0,
                              "numerator": None, "denominator": None, "source": "上传",
                              "note": None}]))
    national = pd.read_csv(data_copy / "observations" / "national.csv", dtype=str,
                           keep_default_na=False)
    key = (national["indicator_code"] == "maternal_mortality_ratio")
    national.loc[key & (national["year"] == "2024"), "value"] = "14.9"
    national.loc[key & (national["year"] == "2023"), "value"] = "15.2"
    national.to_csv(data_copy / "observations" / "national.csv", index=False)

    report = sync.init(db, data_copy)

    assert report.seed_kept_user == 1
    assert report.seed_changed == 1
    assert national_value(db, "maternal_mortality_ratio", 2024) == 14.0
    assert national_value(db, "maternal_mortality_ratio", 2023) == 15.2


def test_seed_revision_keeps_the_old_value(db, data_copy):
    national = pd.read_csv(data_copy / "observations" / "national.csv", dtype=str,
                           keep_default_na=False)
    key = (national["indicator_code"] == "maternal_mortality_ratio") & (national["year"] == "2024")
    national.loc[key, "value"] = "14.4"
    national.to_csv(data_copy / "observations" / "national.csv", index=False)
    sync.init(db, data_copy)
    with store.session(db) as con:
        revisions = store.fetch_revisions(con, "maternal_mortality_ratio", "000000")
    latest = revisions[revisions["year"] == 2024]
    assert latest["new_value"].tolist() == [14.4, 14.3]   # newest batch first
    assert latest["old_value"].iloc[0] == 14.3
    assert pd.isna(latest["old_value"].iloc[1])          # the first init created the value


def make_schema_1(path) -> None:
    """Turn a current database into one built by schema version 1 (revisions keyed)."""
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE r1 (batch_id INTEGER, indicator_code VARCHAR, "
                "region_code VARCHAR, year INTEGER, old_value DOUBLE, old_numerator DOUBLE, "
                "old_denominator DOUBLE, old_source VARCHAR, old_note VARCHAR, "
                "old_batch_id INTEGER, new_value DOUBLE, new_numerator DOUBLE, "
                "new_denominator DOUBLE, new_source VARCHAR, new_note VARCHAR, "
                "PRIMARY KEY (batch_id, indicator_code, region_code, year))")
    con.execute("INSERT INTO r1 SELECT * FROM revisions")
    con.execute("DROP TABLE revisions")
    con.execute("ALTER TABLE r1 RENAME TO revisions")
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    con.close()


def test_init_upgrades_a_schema_1_database_keeping_every_value(db):
    batch = upload(db, pd.DataFrame([{"indicator_code": "maternal_mortality_ratio",
                                      "region_code": "000000", "year": 2024, "value": 14.0,
                                      "numerator": None, "denominator": None,
                                      "source": "上传", "note": None}]))
    with store.session(db) as con:
        before = (store.count_rows(con), store.fetch_batch_changes(con, batch))
    make_schema_1(db)
    with pytest.raises(StoreError, match="python -m metrics init 升级"), store.session(db):
        pass

    sync.init(db)

    with store.session(db) as con:
        after = (store.count_rows(con), store.fetch_batch_changes(con, batch))
        assert store.schema_version(con) == store.SCHEMA_VERSION
    assert after[0] == before[0]
    pd.testing.assert_frame_equal(after[1], before[1])
    con = duckdb.connect(str(db))
    keys = con.execute("SELECT count(*) FROM duckdb_constraints() WHERE table_name = "
                       "'revisions' AND constraint_type = 'PRIMARY KEY'").fetchall()[0][0]
    con.close()
    assert keys == 0
