"""Settings read from environment variables."""

from __future__ import annotations

import pytest

from homeward.lib.env import envbool, envint, envlist, envstr

NAME = "HOMEWARD_LIBTEST_SETTING"


@pytest.fixture(autouse=True)
def _no_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(NAME, raising=False)


# envstr


def test_envstr_gives_the_variable_without_surrounding_space(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(NAME, "  some value ")
    assert envstr(NAME, "default") == "some value"


def test_envstr_gives_the_default_when_the_variable_is_not_set() -> None:
    assert envstr(NAME, "default") == "default"
    assert envstr(NAME) == ""


def test_envstr_treats_an_empty_variable_as_unset_and_gives_the_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(NAME, "")
    assert envstr(NAME, "default") == "default"
    assert envstr(NAME) == ""


def test_envstr_treats_a_variable_of_only_spaces_as_unset(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(NAME, "  ")
    assert envstr(NAME, "default") == "default"


# envbool


@pytest.mark.parametrize(
    "value", ["1", "true", "True", "TRUE", "yes", "Yes", "on", " on ", "yes\n"]
)
def test_envbool_reads_the_usual_ways_of_saying_true(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv(NAME, value)
    assert envbool(NAME) is True


@pytest.mark.parametrize("value", ["0", "false", "False", "no", "NO", "off", " off ", "no\n"])
def test_envbool_reads_the_usual_ways_of_saying_false(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv(NAME, value)
    assert envbool(NAME, "true") is False


def test_envbool_is_false_by_default() -> None:
    assert envbool(NAME) is False


@pytest.mark.parametrize(("default", "expected"), [("true", True), ("1", True), ("no", False)])
def test_envbool_reads_its_default_like_a_value(default: str, expected: bool) -> None:
    assert envbool(NAME, default) is expected


@pytest.mark.parametrize(("default", "expected"), [("True", True), ("False", False)])
def test_envbool_treats_an_empty_variable_as_unset_and_reads_the_default(
    monkeypatch: pytest.MonkeyPatch, default: str, expected: bool
) -> None:
    monkeypatch.setenv(NAME, "")
    assert envbool(NAME, default) is expected


def test_envbool_treats_a_variable_of_only_spaces_as_unset(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(NAME, "  ")
    assert envbool(NAME, "True") is True


def test_envbool_reads_an_empty_default_as_false() -> None:
    assert envbool(NAME, "") is False


@pytest.mark.parametrize(
    ("value", "shown"),
    [("maybe", "maybe"), ("2", "2"), ("y", "y"), ("T", "t"), (" Enabled ", "enabled")],
)
def test_envbool_refuses_anything_else_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, value: str, shown: str
) -> None:
    monkeypatch.setenv(NAME, value)
    with pytest.raises(ValueError) as caught:
        envbool(NAME)
    assert str(caught.value) == f"{NAME}: expected true or false, got {shown!r}"


def test_envbool_refuses_a_bad_default_too() -> None:
    with pytest.raises(ValueError, match="expected true or false, got 'sometimes'"):
        envbool(NAME, "sometimes")


# envint


@pytest.mark.parametrize(("value", "expected"), [("42", 42), (" 42 ", 42), ("-3", -3), ("0", 0)])
def test_envint_reads_a_whole_number(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: int
) -> None:
    monkeypatch.setenv(NAME, value)
    assert envint(NAME, "7") == expected


def test_envint_gives_the_default_when_the_variable_is_not_set() -> None:
    assert envint(NAME, "20971520") == 20 * 1024 * 1024


def test_envint_treats_an_empty_variable_as_unset_and_gives_the_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(NAME, "")
    assert envint(NAME, "7") == 7


@pytest.mark.parametrize("value", ["4.2", "forty", "0x10", "1e3", "12MB"])
def test_envint_refuses_what_is_not_a_whole_number_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv(NAME, value)
    with pytest.raises(ValueError) as caught:
        envint(NAME, "7")
    assert str(caught.value) == f"{NAME}: expected a whole number, got {value.strip()!r}"
    assert caught.value.__suppress_context__


def test_envint_refuses_a_bad_default_too() -> None:
    with pytest.raises(ValueError, match=f"^{NAME}: expected a whole number, got 'lots'$"):
        envint(NAME, "lots")


# envlist


def test_envlist_splits_on_commas_and_drops_spaces_and_empty_items(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(NAME, " example.org, 127.0.0.1 ,,[::1], ")
    assert envlist(NAME) == ["example.org", "127.0.0.1", "[::1]"]


def test_envlist_reads_a_single_item(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(NAME, "example.org")
    assert envlist(NAME) == ["example.org"]


def test_envlist_gives_the_default_split_the_same_way_when_not_set() -> None:
    assert envlist(NAME, "127.0.0.1,localhost, [::1]") == ["127.0.0.1", "localhost", "[::1]"]


def test_envlist_is_empty_by_default() -> None:
    assert envlist(NAME) == []


def test_envlist_treats_an_empty_variable_as_unset_and_gives_the_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # HOMEWARD_ALLOWED_HOSTS= gives the default hosts, not an empty list.
    monkeypatch.setenv(NAME, "")
    assert envlist(NAME, "127.0.0.1,localhost,[::1]") == ["127.0.0.1", "localhost", "[::1]"]


@pytest.mark.parametrize("value", [",", " , ,"])
def test_envlist_gives_an_empty_list_rather_than_the_default_for_a_variable_with_no_items(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv(NAME, value)
    assert envlist(NAME, "localhost") == []
