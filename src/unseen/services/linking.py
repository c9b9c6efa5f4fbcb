"""Link person-list files (or plain tables) and write the linkage outputs to a folder.

Reads files with :mod:`unseen.formats` (person lists, FORMATS.md s1) or as plain CSV tables
(a config with ``input: table``), runs :func:`unseen.linkage.link`, and writes
``clusters.csv``, ``pairs.csv``, ``capture_histories.csv`` (FORMATS.md s5, s3), ``model.json``
and, with a truth file, ``evaluation.json``. None of these holds a name, a date or a place:
only record ids, list names, probabilities and model parameters.
"""

from __future__ import annotations

import csv
import dataclasses
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from unseen.errors import InputError
from unseen.formats import PersonRow, read_person_list
from unseen.linkage import (
    Decision,
    EngineOptions,
    Evaluation,
    LinkageSpec,
    LinkResult,
    capture_histories,
    check_strata,
    evaluate,
    link,
    write_capture_histories_csv,
    write_clusters_csv,
    write_pairs_csv,
)
from unseen.services._output_set import write_together

__all__ = [
    "link_files",
    "read_decisions",
    "read_model",
    "read_tables",
    "read_truth",
    "write_run",
]

_ROW_FIELDS = [f.name for f in dataclasses.fields(PersonRow) if f.name not in ("extra", "row")]


def _row_dict(row: PersonRow) -> dict[str, Any]:
    out = {name: getattr(row, name) for name in _ROW_FIELDS}
    out.update(row.extra)
    return out


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise InputError(f"{path.name}: file not found / 파일을 찾을 수 없습니다")
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            return list(csv.DictReader(f))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"{path.name}: not a UTF-8 CSV file ({type(exc).__name__})") from None


def read_tables(
    paths: Sequence[Path],
    spec: LinkageSpec,
    *,
    list_name: str | None = None,
    mapping: Path | None = None,
) -> pd.DataFrame:
    """One table of every record of ``paths`` (all lists together)."""
    frames = []
    for path in paths:
        _refuse_a_truth_file(path)
        if spec.input == "person-list":
            plist = read_person_list(path, list_name=list_name, mapping=mapping)
            frame = pd.DataFrame([_row_dict(r) for r in plist.rows])
        else:
            frame = pd.DataFrame(_read_csv(path), dtype=object)
            if spec.list_column not in frame.columns or list_name:
                frame[spec.list_column] = list_name or path.stem
        frames.append(frame)
    if not frames:
        raise InputError("give at least one file to link")
    return pd.concat(frames, ignore_index=True)


_TRUTH_COLUMNS = ("record_id", "list", "person_id")


def _refuse_a_truth_file(path: Path) -> None:
    """``unseen link sim/*.csv`` takes the simulator's truth.csv for a list: say what it is."""
    if path.suffix.lower() != ".csv" or not path.is_file():
        return
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            header = next(csv.reader(f), [])
    except (OSError, UnicodeDecodeError, csv.Error):
        return  # the list reader says what is wrong with it
    if tuple(h.strip() for h in header) == _TRUTH_COLUMNS:
        raise InputError(
            f"{path.name}: this is a truth file (record_id, list, person_id), not a person list; "
            f"give it with --truth {path.name}, and list only the person lists / 정답 파일입니다: "
            f"명단이 아니라 --truth {path.name} 로 주십시오"
        )


def read_truth(path: Path) -> pd.DataFrame:
    rows = _read_csv(path)
    if rows and not set(_TRUTH_COLUMNS) <= set(rows[0]):
        raise InputError(f"{path.name}: a truth file has the columns record_id, list, person_id")
    return pd.DataFrame(rows, columns=list(_TRUTH_COLUMNS))


def read_decisions(path: Path) -> list[Decision]:
    """Decisions from a CSV with ``record_id_l,list_l,record_id_r,list_r,decision`` (a
    ``pairs.csv`` edited by hand works: ``review:match`` is read as ``match``); rows with an
    empty decision or ``auto`` are skipped."""
    out = []
    for n, row in enumerate(_read_csv(path), start=2):
        try:
            decision = row["decision"].strip().removeprefix("review:")
            if decision in ("", "auto"):
                continue
            out.append(
                Decision(
                    row["record_id_l"], row["list_l"], row["record_id_r"], row["list_r"], decision
                )
            )
        except (KeyError, AttributeError):
            raise InputError(
                f"{path.name}: needs the columns record_id_l, list_l, record_id_r, list_r, decision"
            ) from None
        except InputError as exc:
            raise InputError(f"{path.name}, row {n}: {exc}") from None
    return out


def read_model(path: Path) -> dict[str, Any]:
    """A ``model.json`` written by :func:`write_run`."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise InputError(f"{path.name}: not a model.json written by `unseen link`") from None
    if not isinstance(data, dict) or not isinstance(data.get("splink"), dict):
        raise InputError(f"{path.name}: not a model.json written by `unseen link`")
    return data


def link_files(
    paths: Sequence[Path],
    spec: LinkageSpec,
    *,
    engine: str = "duckdb",
    options: EngineOptions | None = None,
    decisions: Sequence[Decision] = (),
    truth: Path | None = None,
    list_name: str | None = None,
    mapping: Path | None = None,
    progress: Callable[[str], None] | None = None,
    model: Mapping[str, Any] | None = None,
    strata: Sequence[str] = (),
) -> tuple[LinkResult, Evaluation | None]:
    if progress:
        progress("reading")
    table = read_tables(paths, spec, list_name=list_name, mapping=mapping)
    truth_table = read_truth(truth) if truth is not None else None
    return link_table(
        table, spec, engine, decisions, options, progress, model, truth_table, strata=strata
    )


def link_table(
    table: pd.DataFrame,
    spec: LinkageSpec,
    engine: str,
    decisions: Sequence[Decision],
    options: EngineOptions | None,
    progress: Callable[[str], None] | None,
    model: Mapping[str, Any] | None,
    truth: pd.DataFrame | None,
    *,
    strata: Sequence[str] = (),
) -> tuple[LinkResult, Evaluation | None]:
    """Link a table read from files or a workspace; evaluate against ``truth`` if given.
    ``strata`` (for the capture histories written later) are checked first."""
    if engine not in ("duckdb", "spark"):
        raise InputError("engine must be duckdb or spark")
    lists = table[spec.list_column].astype(str).unique() if spec.list_column in table else ()
    check_strata(table.columns, lists, strata)
    options = options or EngineOptions()
    if truth is not None:
        options = dataclasses.replace(options, keep_candidates=True)
    result = link(
        table,
        spec,
        engine="spark" if engine == "spark" else "duckdb",
        decisions=decisions,
        options=options,
        progress=progress,
        model=model,
    )
    evaluation = evaluate(result, truth) if truth is not None else None
    return result, evaluation


def write_run(
    result: LinkResult,
    evaluation: Evaluation | None,
    out_dir: Path,
    *,
    strata: Sequence[str] = (),
) -> tuple[str, ...]:
    """Write one run's outputs to ``out_dir`` as a set (:func:`write_together`): a failure (a
    bad stratum, a full disk) leaves the previous run's files as they were. A previous
    ``evaluation.json`` goes when this run has no truth: it would describe other clusters."""
    model = {k: v for k, v in result.model.items() if k != "splink"}
    stats = {k: v for k, v in result.stats.items() if k != "candidates"}
    body = {"model": model, "stats": stats, "splink": result.model.get("splink")}
    writers: dict[str, Callable[[Path], object]] = {
        "clusters.csv": lambda p: write_clusters_csv(result, p),
        "pairs.csv": lambda p: write_pairs_csv(result, p),
        "capture_histories.csv": lambda p: write_capture_histories_csv(
            capture_histories(result, strata=strata), p
        ),
        "model.json": lambda p: p.write_text(
            json.dumps(body, indent=2, default=str), encoding="utf-8"
        ),
    }
    if evaluation is not None:
        report = evaluation.as_dict()
        writers["evaluation.json"] = lambda p: p.write_text(
            json.dumps(report, indent=2), encoding="utf-8"
        )
    return write_together(
        out_dir, writers, stale=() if evaluation is not None else ("evaluation.json",)
    )
