"""Which CEADs IO table served which year, settled from the paper's own numbers.

The paper's Table A1 (seeds/published_green_trade_benefit.csv, copied from
shared/paper/table_a1_green_trade_benefit.csv) lists green for 30 provinces x 2010-2019.
Years served by one IO table share its provincial structure, so their values move little from
year to year; where the table changes they jump. Two years are equidistant from two tables:
2011 (2010 or 2012) and 2016 (2015 or 2017). The evidence, computed here from the published
values:

- 2011 lies closer to 2012 than to 2010 for 26 provinces (2 the other way, 2 equal): the paper
  served 2011 with the 2012 table;
- 2016 lies closer to 2015 than to 2017 for 19 provinces (10 the other way, 1 equal): the paper
  served 2016 with the 2015 table -- so no single 'earlier' or 'later' rule reproduces it;
- the three largest year-to-year changes (median over provinces) are 2010->2011, 2013->2014 and
  2016->2017: exactly where the serving table changes when 2011 takes 2012 and 2016 takes 2015.

seeds/year_substitution.csv follows that, and the var ceads_io_tie_rule (default 'paper') keeps
it; 'earlier' and 'later' are the uniform alternatives.
"""

from __future__ import annotations

import pandas as pd
import pytest

from greentrade import reference
from greentrade.dbt_models import resolve_year_substitution

TABLE_YEARS = (2010, 2012, 2015, 2017)


@pytest.fixture(scope="module")
def a1() -> pd.DataFrame:
    """Published green, provinces x years."""
    published = reference.seed("published_green_trade_benefit")
    published = published.assign(year=published["year"].astype(int), green=published["green_bn_usd"].astype(float))
    wide = published.pivot(index="province_en", columns="year", values="green")
    assert wide.shape == (30, 10) and not wide.isna().any().any()
    return wide


def closer(a1: pd.DataFrame, year: int, first: int, second: int) -> tuple[int, int, int]:
    """Provinces whose ``year`` value is closer to ``first``'s, to ``second``'s, equally close."""
    to_first, to_second = (a1[year] - a1[first]).abs(), (a1[year] - a1[second]).abs()
    return int((to_first < to_second).sum()), int((to_second < to_first).sum()), int((to_first == to_second).sum())


def test_a1_serves_2011_with_the_2012_table(a1):
    assert closer(a1, 2011, 2012, 2010) == (26, 2, 2)


def test_a1_serves_2016_with_the_2015_table(a1):
    assert closer(a1, 2016, 2015, 2017) == (19, 10, 1)


def test_a1_jumps_where_the_serving_table_changes(a1):
    changes = {(y, y + 1): (a1[y + 1] - a1[y]).abs().median() for y in range(2010, 2019)}
    largest = sorted(changes, key=changes.get, reverse=True)[:3]
    assert sorted(largest) == [(2010, 2011), (2013, 2014), (2016, 2017)]
    substitution = resolve_year_substitution(reference.seed("year_substitution"), "paper").set_index("year")
    switches = [(y - 1, y) for y in range(2011, 2020)
                if substitution.loc[y, "ceads_io_year"] != substitution.loc[y - 1, "ceads_io_year"]]
    assert switches == sorted(largest)


def test_the_seed_follows_a1_and_marks_both_ties():
    seed = reference.seed("year_substitution").astype({"year": int, "ceads_io_year": int, "ceads_io_sectors": int})
    seed = seed.set_index("year")
    assert seed.loc[2011, "ceads_io_year"] == 2012 and seed.loc[2016, "ceads_io_year"] == 2015
    ties = seed[seed["tie_ceads_io_year"] != ""]
    assert ties.index.tolist() == [2011, 2016]
    assert ties["tie_ceads_io_year"].astype(int).tolist() == [2010, 2017]
    # every year not a tie takes its strictly nearest table
    for year, row in seed.drop(index=ties.index).iterrows():
        distances = sorted((abs(year - t), t) for t in TABLE_YEARS)
        assert distances[0][0] < distances[1][0] and row["ceads_io_year"] == distances[0][1], year
    # the 2010 table is CEADs' 30-sector one; 2012-2017 the 42-sector ones
    assert (seed.loc[seed["ceads_io_year"] == 2010, "ceads_io_sectors"] == 30).all()
    assert (seed.loc[seed["ceads_io_year"] != 2010, "ceads_io_sectors"] == 42).all()


@pytest.mark.parametrize("rule,expected", [
    ("paper", {2011: (2012, 42), 2016: (2015, 42)}),
    ("earlier", {2011: (2010, 30), 2016: (2015, 42)}),
    ("later", {2011: (2012, 42), 2016: (2017, 42)}),
])
def test_the_tie_rule_decides_only_the_ties(rule, expected):
    seed = reference.seed("year_substitution")
    paper = resolve_year_substitution(seed, "paper").set_index("year")
    resolved = resolve_year_substitution(seed, rule).set_index("year")
    for year in range(2010, 2020):
        got = (int(resolved.loc[year, "ceads_io_year"]), int(resolved.loc[year, "ceads_io_sectors"]))
        want = expected.get(year, (int(paper.loc[year, "ceads_io_year"]), int(paper.loc[year, "ceads_io_sectors"])))
        assert got == want, year
    assert set(resolved["ceads_io_tie_rule"]) == {rule}


def test_an_unknown_tie_rule_is_refused():
    with pytest.raises(ValueError, match="ceads_io_tie_rule: expected paper, earlier or later, found 'nearest'"):
        resolve_year_substitution(reference.seed("year_substitution"), "nearest")


def test_eora_last_year_serves_the_later_years_as_the_free_release_requires():
    """A user with the free Eora26 release (to 2016) sets eora_last_year = 2016: 2017-2019 are
    served by the 2016 table, the CEADs tables are untouched, earlier years unchanged."""
    seed = reference.seed("year_substitution")
    plain = resolve_year_substitution(seed, "paper").set_index("year")
    capped = resolve_year_substitution(seed, "paper", eora_last_year=2016).set_index("year")
    assert capped.loc[2017:2019, "eora_year"].tolist() == [2016, 2016, 2016]
    assert capped.loc[2010:2016, "eora_year"].tolist() == plain.loc[2010:2016, "eora_year"].tolist()
    assert capped["ceads_io_year"].equals(plain["ceads_io_year"])
    assert resolve_year_substitution(seed, "paper", eora_last_year=2019)["eora_year"].equals(
        plain.reset_index()["eora_year"])
