"""The public names of unseen.estimation: listed in __all__, and never a submodule's name."""

from __future__ import annotations

import importlib
import pkgutil
import types

import unseen.estimation as estimation


def submodules() -> list[str]:
    return [m.name for m in pkgutil.iter_modules(estimation.__path__)]


def test_exports_are_all_and_only_all() -> None:
    public = {
        n
        for n, v in vars(estimation).items()
        if not n.startswith("_") and not isinstance(v, types.ModuleType)
    }
    assert public == set(estimation.__all__)


def test_no_public_name_is_a_submodule_name() -> None:
    clash = set(estimation.__all__) & set(submodules())
    assert not clash


def test_every_submodule_attribute_is_the_module() -> None:
    # `import unseen.estimation.stepwise` once returned the function of that name
    for name in submodules():
        mod = importlib.import_module(f"unseen.estimation.{name}")
        assert getattr(estimation, name) is mod, name


def test_estimators_are_named_estimate_something() -> None:
    returns_estimates = [n for n in estimation.__all__ if n.startswith("estimate_")]
    assert {"estimate_chapman", "estimate_stepwise", "estimate_loglinear", "estimate_dga"} <= set(
        returns_estimates
    )
    for n in ("stepwise", "loglinear", "chapman", "lincoln_petersen", "closedp"):
        assert n not in estimation.__all__
