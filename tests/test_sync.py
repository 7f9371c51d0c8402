"""`init` builds the store from data/, is idempotent, reports catalogue changes, and never
overwrites a value a user uploaded."""
import duckdb
import pandas as pd
import pytest

from metrics import sync
from metrics.errors import StoreError
from metrics.store import open_store
from metrics.store.duckdb_backend.schema import SCHEMA_VERSION


def upload(path, rows: pd.DataFrame) -> int:
    """Write rows as a user's upload batch (the way the importer does)."""
    with open_store(path).transaction() as con:
        batch = con.create_batch("upload", "测试员", "测试上传", file_name="t.csv")
        con.write_observations(batch, rows.iloc[:0], rows,
                                 {"new": 0, "changed": len(rows), "unchanged": 0})
    return batch


def national_value(path, code, year):
    with open_store(path).session() as con:
        obs = con.fetch_observations([code], ["000000"])
    return obs.loc[obs["year"] == year, "value"].item()


def test_first_init_loads_catalogue_and_seed(db, real_catalogue):
    with open_store(db).session() as con:
        counts = con.count_rows()
    assert counts["indicators"] == len(real_catalogue.indicators)
    assert counts["regions"] == len(real_catalogue.regions)
    assert counts["targets"] == len(real_catalogue.targets)
    assert counts["observations"] == len(real_catalogue.observations)
    assert counts["batches"] == 1


def test_second_init_changes_nothing(db):
    report = sync.init(open_store(db))
    assert not report.changed
    assert report.lines() == ["数据库已是最新，无变化。"]
    with open_store(db).session() as con:
        assert con.count_rows()["batches"] == 1


def test_changed_catalogue_is_reported_and_applied(db, data_copy):
    targets = pd.read_csv(data_copy / "targets.csv", dtype=str, keep_default_na=False)
    row = targets.index[(targets["plan_id"] == "women-2021-2030")
                        & (targets["indicator_code"] == "maternal_mortality_ratio")][0]
    targets.loc[row, "value"] = "11"
    targets.to_csv(data_copy / "targets.csv", index=False)
    with (data_copy / "plans.csv").open("a", encoding="utf-8") as fh:
        fh.write("450000-women-2021-2030,广西妇女发展规划（2021—2030年）,广西妇女规划,women,"
                 "province,450000,women-2021-2030,2021,2020,2025,2030,测试\n")

    report = sync.init(open_store(db), data_copy)

    assert report.tables["targets"].changed == 1
    assert report.tables["plans"].added == 1
    assert report.tables["indicators"].changed == 0
    assert report.seed_new == report.seed_changed == 0
    with open_store(db).session() as con:
        stored = con.read_table("targets")
    mmr = stored[(stored["plan_id"] == "women-2021-2030")
                 & (stored["indicator_code"] == "maternal_mortality_ratio")]
    assert mmr["value"].item() == 11
    assert not sync.init(open_store(db), data_copy).changed


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

    report = sync.init(open_store(db), data_copy)

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
    sync.init(open_store(db), data_copy)
    with open_store(db).session() as con:
        revisions = con.fetch_revisions(["maternal_mortality_ratio"], ["000000"])
    latest = revisions[revisions["year"] == 2024]
    assert latest["new_value"].tolist() == [14.4, 14.3]   # newest batch first
    assert latest["old_value"].iloc[0] == 14.3
    assert pd.isna(latest["old_value"].iloc[1])          # the first init created the value


def make_schema_1(path) -> None:
    """Turn a current database into one built by schema version 1 (revisions keyed, no record
    of migrations)."""
    con = duckdb.connect(str(path))
    con.execute("DROP TABLE schema_migrations")
    con.execute("DROP TABLE supplies")
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
    with open_store(db).session() as con:
        before = (con.count_rows(), con.fetch_batch_changes(batch))
    make_schema_1(db)
    with pytest.raises(StoreError, match="python -m metrics init 升级"), open_store(db).session():
        pass

    sync.init(open_store(db))

    with open_store(db).session() as con:
        after = (con.count_rows(), con.fetch_batch_changes(batch))
        assert con.schema_version() == SCHEMA_VERSION
        migrated = con.migrations()
    assert after[0] == before[0]
    assert list(migrated["version"]) == list(range(2, SCHEMA_VERSION + 1))
    assert migrated["applied_at"].notna().all()
    pd.testing.assert_frame_equal(after[1], before[1])
    con = duckdb.connect(str(db))
    keys = con.execute("SELECT count(*) FROM duckdb_constraints() WHERE table_name = "
                       "'revisions' AND constraint_type = 'PRIMARY KEY'").fetchall()[0][0]
    con.close()
    assert keys == 0
