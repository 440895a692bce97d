"""Loading of the shipped YAML data files, validated against pydantic schemas at load time."""

from __future__ import annotations

from importlib import resources
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from collagen_coach.core.errors import DataFileError

Schema = TypeVar("Schema", bound=BaseModel)


def load_data_file(name: str, schema: type[Schema]) -> Schema:
    """Give the parsed, validated contents of ``core/data/<name>``.

    Raises DataFileError naming the file and the first offending field.
    """
    path = resources.files("collagen_coach.core") / "data" / name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(f"{name}: cannot be read as YAML: {exc}") from exc
    return validate_data(name, raw, schema)


def validate_data(name: str, raw: object, schema: type[Schema]) -> Schema:
    """Give ``raw`` validated as ``schema``; errors name the file and the field path."""
    try:
        return schema.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(top level)"
        raise DataFileError(f"{name}: {where}: {first['msg']}") from exc
