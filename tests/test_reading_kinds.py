"""Every kind of hostile upload the benchmark tries (bench/hostile_uploads.py) gives the
outcome it expects: the problem codes, or exactly the values written. Read in-process here;
the kinds that only the reader's own process can bound are in test_reading_isolation.py."""
from __future__ import annotations

import pytest

from bench import hostile_uploads
from metrics import config
from metrics.uploads import ingest

KINDS = hostile_uploads.resource_kinds() + hostile_uploads.number_kinds()


def test_the_kinds_cover_both_groups():
    assert {kind.group for kind in KINDS} == {"§1 读取前的资源上限", "§2 数值不被悄悄改变"}
    assert len(KINDS) >= 45


@pytest.mark.parametrize("kind", KINDS, ids=[kind.name for kind in KINDS])
def test_each_kind_gives_its_expected_outcome(real_catalogue, kind):
    found, expected, _ = hostile_uploads.outcome(kind, real_catalogue, config.settings().upload,
                                                 read=ingest.read_upload)
    assert expected, found
