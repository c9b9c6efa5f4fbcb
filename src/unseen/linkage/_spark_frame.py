"""The feature table (and a table of pairs) as Spark DataFrames, with explicit schemas (nulls
defeat inference)."""

from __future__ import annotations

import importlib
import math
from typing import Any

import pandas as pd

from unseen.linkage.spec import LinkageSpec

_LIST_OF_TEXT = {"family", "hangul", "keys", "all", "prefix", "slips"}
_WHOLE = {"lo", "hi", "day", "year"}


def _kind(spec: LinkageSpec, column: str) -> str:
    if column == "uid":
        return "long"
    if "__" not in column:
        return "text"
    name, _, part = column.partition("__")
    ctype = spec.comparison(name).type
    if ctype in ("name", "mother") and part in _LIST_OF_TEXT:
        return "texts"
    if ctype == "date":
        return "longs" if part == "years" else ("long" if part in _WHOLE else "text")
    if ctype == "numeric":
        return "double"
    return "text"


def _cell(value: Any, kind: str) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if kind == "long":
        return int(value)
    if kind == "double":
        return float(value)
    if kind == "longs":
        return [int(x) for x in value]
    if kind == "texts":
        return [str(x) for x in value]
    return str(value)


def spark_frame(spark: Any, frame: pd.DataFrame, spec: LinkageSpec) -> Any:
    """``spark`` is a SparkSession; returns a pyspark DataFrame of ``frame``."""
    types = importlib.import_module("pyspark.sql.types")
    make = {
        "long": types.LongType,
        "double": types.DoubleType,
        "text": types.StringType,
        "longs": lambda: types.ArrayType(types.LongType()),
        "texts": lambda: types.ArrayType(types.StringType()),
    }
    kinds = [_kind(spec, c) for c in frame.columns]
    schema = types.StructType(
        [types.StructField(c, make[k](), True) for c, k in zip(frame.columns, kinds, strict=True)]
    )
    rows = [
        tuple(_cell(v, k) for v, k in zip(row, kinds, strict=True))
        for row in frame.itertuples(index=False, name=None)
    ]
    return spark.createDataFrame(rows, schema=schema)


def spark_pairs(spark: Any, pairs: pd.DataFrame) -> Any:
    """Pairs to score (``match_key``, ``join_key_l``, ``join_key_r``) as a pyspark DataFrame."""
    types = importlib.import_module("pyspark.sql.types")
    schema = types.StructType(
        [
            types.StructField("match_key", types.StringType(), False),
            types.StructField("join_key_l", types.LongType(), False),
            types.StructField("join_key_r", types.LongType(), False),
        ]
    )
    rows = [
        (str(k), int(a), int(b))
        for k, a, b in zip(
            pairs["match_key"], pairs["join_key_l"], pairs["join_key_r"], strict=True
        )
    ]
    return spark.createDataFrame(rows, schema=schema)
