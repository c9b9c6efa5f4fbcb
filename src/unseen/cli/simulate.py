"""``unseen simulate``: write simulated documentation lists and their ground truth."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from unseen.cli._console import out
from unseen.cli._progress import stage_bar
from unseen.simulate import PRESETS, SimulationSettings, simulate, write_simulation

_STAGE_LABELS = {
    "population": "population / 인구",
    "acts": "acts / 피해 행위",
    "names": "names / 이름",
    "capture": "lists / 명단",
    "done": "done / 완료",
}


def _label(stage: str) -> str:
    head, _, name = stage.partition(":")
    if head == "records":
        return f"records / 기록: {name}"
    if head == "write":
        return f"writing / 쓰는 중: {name}"
    return _STAGE_LABELS.get(stage, stage)


def simulate_command(
    outdir: Annotated[
        Path, typer.Argument(help="Folder for the lists and truth files.", file_okay=False)
    ],
    preset: Annotated[
        str,
        typer.Option(
            help="small (about 2,000 people), realistic (about 100,000 people) or stress "
            "(about 1,000,000 records)."
        ),
    ] = "small",
    seed: Annotated[
        int, typer.Option(help="Random seed: the same seed writes the same files.", min=0)
    ] = 1,
    lists: Annotated[
        int | None, typer.Option("--lists", help="Number of lists K (default 6).", min=1, max=24)
    ] = None,
) -> None:
    """Simulate North Koreans in China (1998-2025) and the lists that document them.

    Writes one person-list CSV per list, truth.csv (record_id,list,person_id) and truth.json
    (true population size overall and by stratum, the settings and the seed). Every name is
    synthetic. / 모의 인구와 기록 명단을 만듭니다(이름은 모두 가상).

    Examples:

      unseen simulate out/ --preset small --seed 7

      unseen simulate out/ --preset realistic --seed 1 --lists 4
    """
    if preset not in PRESETS:
        raise typer.BadParameter(
            f"--preset is one of {', '.join(PRESETS)} / 프리셋은 {', '.join(PRESETS)} 중 하나입니다"
        )
    settings = SimulationSettings.preset(preset, seed, lists=lists)
    with stage_bar(_label, "population") as progress:
        sim = simulate(settings, progress=progress)
        files = write_simulation(sim, outdir, progress=progress)
    table = Table(title=f"simulated lists / 모의 명단 (preset {preset}, seed {seed})")
    table.add_column("list / 명단")
    table.add_column("organisation / 기관")
    table.add_column("records / 기록", justify="right")
    table.add_column("people / 사람", justify="right")
    total = 0
    for lst in settings.lists:
        info = sim.manifest["lists"][lst.name]
        total += info["records"]
        table.add_row(lst.name, lst.label_en, f"{info['records']:,}", f"{info['people']:,}")
    table.add_row("all / 전체", "", f"{total:,}", f"{sim.manifest['observed_people']:,}")
    console = out()
    console.print(table)
    console.print(f"true population / 실제 인구: {sim.true_size:,}")
    for path in files.all():
        console.print(f"wrote {path}")


def register(app: typer.Typer) -> None:
    app.command("simulate")(simulate_command)
