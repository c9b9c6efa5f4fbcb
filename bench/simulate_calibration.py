"""Compare a simulation with the calibration facts; prints the Markdown tables of
docs/simulation.md section 4.

    .venv/bin/python bench/simulate_calibration.py                   # realistic preset, seed 1
    .venv/bin/python bench/simulate_calibration.py --preset small --seed 7
"""

from __future__ import annotations

import argparse

import numpy as np

from unseen.simulate import FATES, SimulationSettings, simulate
from unseen.simulate._settings import PATHWAYS
from unseen.simulate._tables import mou_arrivals, place_index, places

CHILD = PATHWAYS.index("child")
SK = FATES.index("reached_sk")


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--preset", default="realistic")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    sim = simulate(SimulationSettings.preset(args.preset, args.seed))
    pop, ps = sim.population, sim.settings.population
    pl = places()
    adult = pop.pathway != CHILD
    women = adult & (pop.sex == 1)
    end = np.minimum(pop.exit, ps.end_year + 1)
    arrived = adult & (pop.fate == SK)
    ayear = np.floor(pop.arrival)
    prov = np.where(pop.origin >= 0, pl.province[np.maximum(pop.origin, 0)], -1)

    def share_origin(sel: np.ndarray, iso: str) -> str:
        return _pct(float((prov[sel] == place_index(iso)).mean()))

    def stock(year: float, sel: np.ndarray | None = None) -> np.ndarray:
        here = adult & (pop.cross <= year) & (end > year)
        return here if sel is None else here & sel

    trafficked = np.isin(pop.pathway, [0, 1, 2])
    ever = np.zeros(len(pop), dtype=bool)
    ever[pop.arrest_person] = True
    interviewed = sim.captures["interviews"].captured
    ret = pop.return_time
    print(
        f"Preset `{args.preset}`, seed {args.seed}: {len(pop):,} people "
        f"({int((~adult).sum()):,} children born in China), scale {ps.scale:g}.\n"
    )
    print("| quantity | simulated | calibration fact |")
    print("|---|---|---|")
    rows = [
        (
            "women among adults, all years",
            _pct(pop.sex[adult].mean()),
            "0.75 (range 0.65-0.85), facts §8",
        ),
        (
            "women among adults in China, mid-2008",
            _pct(pop.sex[stock(2008.5)].mean()),
            "about two-thirds (2008), facts §1",
        ),
        (
            "women among adults in China, mid-2010",
            _pct(pop.sex[stock(2010.5)].mean()),
            "about 80% (2010 aid-worker estimate), facts §1",
        ),
        (
            "women among arrivals in South Korea, 1999-2025",
            _pct(pop.sex[arrived].mean()),
            "72% of the cumulative total (MOU)",
        ),
    ]
    for y in (2000, 2004, 2008, 2012, 2016, 2020, 2024):
        rows.append(
            (
                f"adults in China, mid-{y}",
                f"{int(stock(y + 0.5).sum()):,}",
                "30,000-200,000 (prior for 2000-2012), facts §1"
                if y <= 2012
                else "falling after 2012; mostly long-term women after 2020, facts §1",
            )
        )
    rows += [
        (
            "arrivals 1999-2025 (MOU at scale 1: 33,590)",
            f"{int(arrived.sum()):,}",
            "33,590 × scale",
        ),
        (
            "North Hamgyong / Ryanggang / South Hamgyong, arrivals to 2018",
            " / ".join(
                share_origin(arrived & (ayear <= 2018), k) for k in ("KP-09", "KP-10", "KP-08")
            ),
            "60.7% / 16.0% / 8.8%, facts §5",
        ),
        (
            "North Hamgyong, 2003 arrivals",
            share_origin(arrived & (ayear == 2003), "KP-09"),
            "71.9%, facts §5",
        ),
        (
            "Ryanggang / North Hamgyong, left 2017-2022 (arrived)",
            " / ".join(
                share_origin(arrived & (pop.cross >= 2017) & (pop.cross < 2023), k)
                for k in ("KP-10", "KP-09")
            ),
            "59.1% / 17.3% (n = 508), facts §5",
        ),
        (
            "Pyongyang, all arrivals / 2023 arrivals",
            share_origin(arrived, "KP-01")
            + " / "
            + share_origin(arrived & (ayear == 2023), "KP-01"),
            "2.5% / 12.8%, facts §5",
        ),
        (
            "North Pyongan + Chagang, all arrivals",
            _pct(
                float(np.isin(prov[arrived], [place_index("KP-03"), place_index("KP-04")]).mean())
            ),
            "about 3%, facts §5",
        ),
        ("women ever trafficked", _pct(trafficked[women].mean()), "0.6 (range 0.5-0.9), facts §8"),
    ]
    late = women & trafficked & (pop.cross >= 2015) & (pop.cross < 2019)
    split = np.bincount(pop.pathway[late], minlength=3)[:3] / max(int(late.sum()), 1)
    rows += [
        (
            "prostitution / marriage / cybersex, trafficked women who crossed 2015-18",
            f"{_pct(split[1])} / {_pct(split[0])} / {_pct(split[2])}",
            "about 50% / 30% / 15%, KFI 2019, facts §3",
        ),
        (
            "trafficked women aged under 18 at first exploitation",
            _pct(float(((pop.first_sale - pop.birth)[trafficked] < 18).mean())),
            "victims mostly aged 12-29, facts §3",
        ),
        (
            "mean years between exit and arrival, 2009 arrivals",
            f"{(pop.exit - pop.cross)[arrived & (ayear == 2009)].mean():.2f}",
            "about 1.5, facts §6",
        ),
        (
            "arrivals 2021-2025 who left the North less than a year before",
            f"{int((arrived & (ayear >= 2021) & (pop.exit - pop.cross < 1)).sum())}",
            "fewer than ten a year, facts §2",
        ),
        ("adults ever forcibly returned", _pct(ever[adult].mean()), "0.3-0.8, facts §8"),
        (
            "arrivals in South Korea ever forcibly returned",
            _pct(ever[arrived].mean()),
            "81.5% of a non-representative sample of 119, facts §7",
        ),
        (
            "interviewed survivors ever forcibly returned",
            _pct(ever[interviewed & adult].mean()),
            "(the interview list over-represents them)",
        ),
        (
            "forced returns 2020-2025",
            f"{int(((ret >= 2020) & (ret < 2026)).sum()):,}",
            "at least 1,076 known to HRW, facts §7",
        ),
        (
            "returned in the mass return of 9 Oct 2023",
            f"{int(pop.mass_return.sum()):,}",
            "about 500-600, facts §7",
        ),
        (
            "children born in China / still in China at the end of 2025",
            f"{int((~adult).sum()):,} / {int((~adult & ~np.isfinite(pop.exit)).sum()):,}",
            "many, mostly left behind, facts §6",
        ),
    ]
    for label, value, fact in rows:
        print(f"| {label} | {value} | {fact} |")

    print("\nArrivals in South Korea by year and sex (simulated / MOU × scale):\n")
    print("| year | men | women | women % (sim) | women % (MOU) |")
    print("|---|---|---|---|---|")
    by_year = sim.manifest["population"]["arrivals_in_south_korea"]
    for year, men, wom in mou_arrivals():
        got = by_year[str(year)]
        total = got["M"] + got["F"]
        share = 100 * got["F"] / total if total else 0.0
        print(
            f"| {year} | {got['M']:,} / {men * ps.scale:,.0f} | {got['F']:,} / "
            f"{wom * ps.scale:,.0f} | {share:.1f} | {100 * wom / (men + wom):.1f} |"
        )

    print("\nLists (records, people, people expected from the capture model):\n")
    print("| list | records | people | expected people |")
    print("|---|---|---|---|")
    for name, info in sim.manifest["lists"].items():
        print(
            f"| {name} | {info['records']:,} | {info['people']:,} | "
            f"{info['expected_people']:,.1f} |"
        )
    total = sum(v["records"] for v in sim.manifest["lists"].values())
    print(f"| all | {total:,} | {sim.manifest['observed_people']:,} (distinct) | |")


if __name__ == "__main__":
    main()
