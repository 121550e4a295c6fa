"""Configuration: defaults load, overrides merge, bad keys and values are named."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.config import load_config
from archive.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "deploy.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_have_dutch_fiscal_retention(tmp_path: Path) -> None:
    config = load_config(home=tmp_path)
    assert config.ocr.languages == "nld+eng"
    assert config.records.retention["invoice"].years == 7
    assert config.records.retention["invoice"].start == "end_of_year"
    assert config.ingest.folder_types["facturen"] == "invoice"


def test_override_changes_only_named_keys(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "[ocr]\nlanguages = 'eng'\n[web]\nport = 8080\n"), home=tmp_path)
    assert config.ocr.languages == "eng"
    assert config.web.port == 8080
    assert config.ocr.dpi == 300


def test_archive_config_environment_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARCHIVE_CONFIG", str(write(tmp_path, "[search]\npage_size = 7\n")))
    assert load_config(home=tmp_path).search.page_size == 7


def test_home_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARCHIVE_HOME", str(tmp_path / "elsewhere"))
    assert load_config().home == (tmp_path / "elsewhere").resolve()


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("[ocr]\nlanguage = 'nld'\n", "ocr.language"),
        ("[nonsense]\nx = 1\n", "nonsense"),
        ("[web]\nport = 'eighty'\n", "web.port"),
        ("[ocr]\ndetect_orientation = 'yes'\n", "ocr.detect_orientation"),
        ("[records]\ndisposition_approvals = 3\n", "records.disposition_approvals"),
        ("[records.retention.invoice]\nyears = 7\nstart = 'someday'\n", "records.retention.invoice.start"),
        ("[records.retention.invoice]\nyers = 7\n", "records.retention.invoice.yers"),
    ],
)
def test_bad_setting_is_named(tmp_path: Path, text: str, named: str) -> None:
    with pytest.raises(ConfigError, match=named.replace(".", r"\.")):
        load_config(write(tmp_path, text), home=tmp_path)


def test_unreadable_toml_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(write(tmp_path, "[ocr\n"), home=tmp_path)


def test_missing_override_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "absent.toml", home=tmp_path)


def test_backup_settings_and_the_deployment_file_they_keep(tmp_path: Path) -> None:
    deployment = write(tmp_path, "[backup]\ndestination = '/mnt/nas/archief'\nat = '23:15'\nkeep_daily = 3\n")
    config = load_config(deployment, home=tmp_path)
    assert (config.backup.destination, config.backup.at_time.hour, config.backup.keep.daily) == (
        "/mnt/nas/archief",
        23,
        3,
    )
    assert config.backup.keep.monthly == 12 and config.source == deployment.resolve()
    assert load_config(home=tmp_path).source is None


def test_backup_priority_is_read_and_idle_unless_set(tmp_path: Path) -> None:
    assert load_config(home=tmp_path).backup.priority == "idle"
    assert load_config(write(tmp_path, "[backup]\npriority = 'low'\n"), home=tmp_path).backup.priority == "low"


def test_an_unknown_backup_priority_is_refused_with_the_choices(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as refused:
        load_config(write(tmp_path, "[backup]\npriority = 'lowest'\n"), home=tmp_path)
    assert str(refused.value) == 'Setting \'backup.priority\' must be "idle", "low" or "normal", not \'lowest\'.'


@pytest.mark.parametrize(
    "text, named",
    [
        ("[backup]\nat = '2:30'\n", "backup.at"),
        ("[backup]\nat = '24:00'\n", "backup.at"),
        ("[backup]\nkeep_weekly = -1\n", "backup.keep_weekly"),
        ("[backup]\ndestination = 'backups'\n", "backup.destination"),
        ("[backup]\ndestination = '/mnt/usb'\nencrypt = true\n", "backup.passphrase_file"),
        ("[backup]\nkeep_yearly = 3\n", "backup.keep_yearly"),
    ],
)
def test_bad_backup_settings_are_named(tmp_path: Path, text: str, named: str) -> None:
    with pytest.raises(ConfigError, match=named.replace(".", r"\.")):
        load_config(write(tmp_path, text), home=tmp_path)
