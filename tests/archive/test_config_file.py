"""config.toml and the settings dataclasses say the same: every key a field with the same default, every field a key.

A default that differs between the file and the code would make a setting behave one
way in a deployment and another in a test that builds the dataclass directly.
"""

from __future__ import annotations

import dataclasses
import tomllib
import typing
from typing import Any

import pytest

from archive.config import _SECTIONS, DEFAULT_CONFIG_FILE, _coerce

FILE = tomllib.loads(DEFAULT_CONFIG_FILE.read_text(encoding="utf-8"))


def _default(field: dataclasses.Field) -> Any:
    if field.default is not dataclasses.MISSING:
        return field.default
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    return dataclasses.MISSING


def _differences(cls: type, table: dict[str, Any], where: str) -> list[str]:
    """Return what differs between one dataclass and its table in the file, one line each."""
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    found = [f"{where}.{key} is in config.toml but not a field of {cls.__name__}" for key in table if key not in fields]
    found += [
        f"{where}.{name} is a field of {cls.__name__} but not in config.toml" for name in fields if name not in table
    ]
    for name in fields.keys() & table.keys():
        hint, value = hints[name], table[name]
        if typing.get_origin(hint) is dict:
            found += _entry_differences(typing.get_args(hint)[1], value, f"{where}.{name}")
        elif dataclasses.is_dataclass(hint):
            found += _differences(typing.cast(type, hint), value, f"{where}.{name}")
        elif _coerce(hint, value, f"{where}.{name}") != _default(fields[name]):
            found.append(f"{where}.{name} is {value!r} in config.toml but {_default(fields[name])!r} in {cls.__name__}")
    return found


def _entry_differences(entry: Any, table: dict[str, Any], where: str) -> list[str]:
    # A table of entries (document types, the retention schedule, folder hints) is the
    # file's data, not a default: each entry only has to consist of fields.
    if not dataclasses.is_dataclass(entry):
        return []
    names = {f.name for f in dataclasses.fields(entry)}
    return [
        f"{where}.{key}.{name} is not a field of {entry.__name__}"
        for key, values in table.items()
        for name in values
        if name not in names
    ]


def test_every_section_of_the_file_is_a_settings_dataclass():
    assert set(FILE) - {"data_dir"} == set(_SECTIONS)


@pytest.mark.parametrize("section", sorted(_SECTIONS))
def test_the_file_and_the_dataclass_agree(section):
    assert _differences(_SECTIONS[section], FILE[section], section) == []


def test_a_difference_is_found():
    # The check itself: a changed default and a key of the file only are both reported.
    table = {**FILE["web"], "port": 8001, "colour": "blue"}
    assert sorted(_differences(_SECTIONS["web"], table, "web")) == [
        "web.colour is in config.toml but not a field of WebSettings",
        "web.port is 8001 in config.toml but 8000 in WebSettings",
    ]
