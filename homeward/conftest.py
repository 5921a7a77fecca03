"""Standing fixtures: agencies, three staff users, and a factory for registered cases.

As in the codebases we learn from, every permission test has one user who may (a
caseworker of the owning agency), one in the same agency who may not (an analyst), and one
in another agency.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import astuple
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as settings_module
from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from homeward.accounts.models import Agency, AgencyKind, Role, Scope, StaffProfile
from homeward.cases import services
from homeward.cases.models import ChildCase, FacilityKind
from homeward.cases.services import ChildInput, NameInput, PlacementInput, RelativeInput
from homeward.lib.ages import BirthDate, BirthPrecision

PASSWORD = "a long test passphrase"


@pytest.fixture(autouse=True)
def _attachments_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "attachments"


@pytest.fixture(autouse=True)
def _audit_anchors_in_tmp(settings: Any, tmp_path: Any) -> None:
    # Each test's database is new: so is its trail, and an anchor of another test's trail
    # would not match it.
    settings.HOMEWARD_AUDIT_ANCHOR_FILE = tmp_path / "audit-anchors.jsonl"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # Real hashers are slow on purpose; tests sign in hundreds of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_after_each_test() -> Iterator[None]:
    # A request activates its language in the test's thread (LocaleMiddleware), and it
    # would stay active for the next test's services and commands.
    yield
    translation.activate(settings_module.LANGUAGE_CODE)


@pytest.fixture
def agency(db: None) -> Agency:
    return Agency.objects.create(
        name="Consular Section (test)", short_name="CONS", kind=AgencyKind.CONSULAR, country="IQ"
    )


@pytest.fixture
def other_agency(db: None) -> Agency:
    return Agency.objects.create(
        name="Other NGO (test)", short_name="NGO", kind=AgencyKind.NGO, country="SY"
    )


def make_user(username: str, agency: Agency, role: str) -> User:
    user = User.objects.create_user(username, password=PASSWORD, first_name=username.title())
    StaffProfile.objects.create(user=user, agency=agency, role=role)
    return user


@pytest.fixture
def caseworker(agency: Agency) -> User:
    return make_user("caseworker", agency, Role.CASEWORKER)


@pytest.fixture
def analyst(agency: Agency) -> User:
    return make_user("analyst", agency, Role.ANALYST)


@pytest.fixture
def outsider(other_agency: Agency) -> User:
    return make_user("outsider", other_agency, Role.CASEWORKER)


@pytest.fixture
def coordinator(db: None) -> User:
    authority = Agency.objects.create(
        name="Coordinating authority (test)",
        short_name="AUTH",
        kind=AgencyKind.COORDINATING_AUTHORITY,
        country="RU",
    )
    user = make_user("coordinator", authority, Role.MISSION_COORDINATOR)
    # Through the profile object the user holds, so `user.staff_profile` says "all" too.
    user.staff_profile.scope = Scope.ALL
    user.staff_profile.save(update_fields=["scope"])
    return user


def totp_device(user: User) -> TOTPDevice:
    """The user's authenticator app, linked."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "app"}
    )
    return device


def current_code(device: TOTPDevice) -> str:
    """The code the app shows now; if this step's code was used already (a second sign-in
    within 30 seconds), the next step's, which the device accepts as clock drift."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if device.last_t is not None and device.last_t >= totp.t():
        totp.time = totp.time + device.step * (device.last_t - totp.t() + 1)
    return f"{totp.token():0{device.digits}d}"


def signed_in(user: User) -> Client:
    """A client signed in with password and second factor, as every account must be."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
    session.save()
    return client


@pytest.fixture
def caseworker_client(caseworker: User) -> Client:
    return signed_in(caseworker)


def child_input(**overrides: Any) -> ChildInput:
    values: dict[str, Any] = {
        "names": [
            NameInput("Амина Исаева", "civil_registry"),
            NameInput("Amina Isaeva", "consular"),
            NameInput("أمينة عيسى", "host_authority"),
        ],
        "sex": "f",
        "birth": BirthDate(BirthPrecision.YEAR, date(2013, 1, 1)),
        "nationality": "RU",
        "home_region": "RU-DA",
        "placement": PlacementInput(
            "IQ", FacilityKind.STATE_ORPHANAGE, date(2018, 5, 2), "Orphanage (test)"
        ),
        "identified_on": date(2018, 5, 2),
    }
    values.update(overrides)
    return ChildInput(**values)


@pytest.fixture
def make_case(agency: Agency, caseworker: User) -> Callable[..., ChildCase]:
    def make(owner: Agency | None = None, today: date | None = None, **overrides: Any) -> ChildCase:
        return services.register_child(
            child_input(**overrides), agency=owner or agency, by=caseworker, today=today
        )

    return make


# --- the browser harness: a real headless Chromium (Debian's) driven by Playwright ---------

CHROMIUM = os.environ.get("HOMEWARD_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
# Chromium must not reach out to the network at start-up: this machine has none.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the Django calls that the
    # tests make around it are ordinary synchronous ones.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def sign_in(page: Any, username: str, password: str = PASSWORD) -> None:
    """Sign in as a person does: password, then the code from the authenticator app."""
    device = totp_device(User.objects.get(username=username))
    # By the fields' names, not their labels: the page may be in any interface language.
    page.goto("/sign-in/")
    page.locator("main input[name=username]").fill(username)
    page.locator("main input[name=password]").fill(password)
    page.locator("main button[type=submit]").click()
    page.locator("main input[name=code]").fill(current_code(device))
    page.locator("main button[type=submit]").click()
    page.wait_for_url(lambda url: "/sign-in/" not in url)


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# --- the journey home: children walked to "cleared to leave", missions, staff ------------


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    """A moment of `day` in the site's time zone (a departure, an arrival)."""
    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def supervisor(agency: Agency) -> User:
    return make_user("supervisor", agency, Role.SUPERVISOR)


@pytest.fixture
def medic(agency: Agency) -> User:
    return make_user("medic", agency, Role.MEDICAL_OFFICER)


CLEARED_PATH = ("verified", "family_traced", "consent_obtained", "cleared_to_leave")


@pytest.fixture
def make_ready_case(
    make_case: Callable[..., ChildCase], caseworker: User, medic: User
) -> Callable[..., ChildCase]:
    """A child cleared to leave with every checklist item done and a grandmother whose home
    was assessed as suitable; `skip` leaves checklist items out."""
    from homeward.missions.models import ReadinessItem
    from homeward.missions.readiness import TICKED_ITEMS
    from homeward.missions.services import record_readiness

    def make(skip: tuple[str, ...] = (), **overrides: Any) -> ChildCase:
        grandmother = RelativeInput(
            "grandmother",
            [NameInput("Патимат Исаева", "family")],
            sex="f",
            status="alive",
            willing_to_take_custody="willing",
            home_assessment="suitable",
            home_assessed_on=date(2018, 11, 1),
        )
        case = make_case(relatives=[grandmother], **overrides)
        for step, status in enumerate(CLEARED_PATH):
            services.transition(case, status, by=caseworker, effective_on=date(2018, 6, 1 + step))
        for item in TICKED_ITEMS:
            if item not in skip:
                who = medic if item == ReadinessItem.FIT_TO_FLY else caseworker
                record_readiness(case, item, done_on=date(2018, 11, 2), by=who)
        return case

    return make


@pytest.fixture
def make_mission(coordinator: User) -> Callable[..., Any]:
    from homeward.missions.services import MissionInput, plan_mission

    count = iter(range(1, 1000))

    def make(capacity: int = 30, **overrides: Any) -> Any:
        values: dict[str, Any] = {
            "code": f"M-TEST-{next(count)}",
            "name": "Baghdad to Moscow (test)",
            "departure_airport": "BGW",
            "arrival_airport": "ZIA",
            "departs_on": date(2018, 12, 30),
            "arrives_on": date(2018, 12, 30),
            "capacity": capacity,
        }
        values.update(overrides)
        return plan_mission(MissionInput(**values), by=coordinator)

    return make


@pytest.fixture
def arrived_case(
    make_ready_case: Callable[..., ChildCase],
    make_mission: Callable[..., Any],
    coordinator: User,
    supervisor: User,
) -> ChildCase:
    """A child who flew home on 2018-12-30, on a confirmed and approved mission."""
    from homeward.missions import services as missions

    mission = make_mission()
    case = make_ready_case()
    missions.add_to_manifest(mission, case, by=coordinator, today=date(2018, 12, 20))
    missions.confirm_manifest(mission, by=coordinator)
    missions.approve_manifest(mission, by=supervisor)
    missions.record_arrival(mission, arrived_at=at(date(2018, 12, 30), 14), by=coordinator)
    case.refresh_from_db()
    return case


# --- other processes on a data folder of their own (crash, backup and storage tests) -----

HOMEWARD = Path(sys.executable).with_name("homeward")


def homeward_env(folder: Path, **extra: str) -> dict[str, str]:
    """The environment of a Homeward process on `folder`: SQLite there, nothing of ours."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HOMEWARD_", "DATABASE_URL", "DJANGO_"))
    }
    return env | {"HOMEWARD_DATA_DIR": str(folder)} | extra


def run_homeward(
    folder: Path, *args: str, env: dict[str, str] | None = None, check: bool = True,
    timeout: float = 180,
) -> subprocess.CompletedProcess[str]:  # fmt: skip
    done = subprocess.run(
        [str(HOMEWARD), *args], env=env or homeward_env(folder), capture_output=True,
        text=True, timeout=timeout,
    )  # fmt: skip
    if check and done.returncode != 0:
        raise AssertionError(f"homeward {' '.join(args)}: {done.returncode}\n{done.stderr}")
    return done


def start(command: list[str], folder: Path, env: dict[str, str] | None = None) -> Any:
    """A process in a session of its own, so that it is killed with its children."""
    return subprocess.Popen(
        command, env=env or homeward_env(folder), stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip


def start_homeward(folder: Path, *args: str, env: dict[str, str] | None = None) -> Any:
    return start([str(HOMEWARD), *args], folder, env)


def kill(process: Any) -> None:
    """kill -9 of the process and every child it forked."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


SCRIPTS = "homeward.operations.tests.scripts"


def script(folder: Path, name: str, *args: str, env: dict[str, str] | None = None) -> Any:
    """Run one of operations/tests/scripts.py's functions on `folder`; its JSON output."""
    done = subprocess.run(
        [sys.executable, "-m", SCRIPTS, name, *args], env=env or homeward_env(folder),
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    if done.returncode != 0:
        raise AssertionError(f"{name}: {done.stderr}")
    return json.loads(done.stdout) if done.stdout.strip() else None


def start_script(folder: Path, name: str, *args: str) -> Any:
    return start([sys.executable, "-m", SCRIPTS, name, *args], folder)


@pytest.fixture(scope="session")
def migrated_folder(tmp_path_factory: Any) -> Path:
    """A data folder with an empty, migrated database: made once, copied by each test."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("runs other processes on a SQLite data folder: once, in the SQLite suite")
    folder = tmp_path_factory.mktemp("migrated")
    run_homeward(folder, "migrate", "-v0")
    return Path(folder)


@pytest.fixture
def data_folder(migrated_folder: Path, tmp_path: Path) -> Path:
    """An installation of its own, on SQLite whatever the suite runs on: the tests that
    use one run once, in the SQLite suite."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("runs other processes on a SQLite data folder: once, in the SQLite suite")
    folder = tmp_path / "data"
    shutil.copytree(migrated_folder, folder)
    return folder


def read_encrypted(folder: Path) -> dict[str, Any]:
    """Every encrypted value and file of the SQLite installation in `folder`, decrypted with
    its key file, read from outside (sqlite3 and the crypto library, no Django database):
    {"values": {where: text}, "files": {where: sha256}, "formats": {"hw2:3": count},
    "unreadable": [...]}."""
    import hashlib
    import sqlite3

    from homeward.lib.crypto import CryptoError, bytes_header, load_key_file, parse_token
    from homeward.protection import inventory
    from homeward.protection.fields import file_binding, value_binding

    ring = load_key_file(folder / "keys.json")
    found: dict[str, Any] = {"values": {}, "files": {}, "formats": {}, "unreadable": []}
    db = sqlite3.connect(folder / "homeward.sqlite3", timeout=30)

    def rows(field: Any) -> list[tuple[Any, str]]:
        table, column = field.model._meta.db_table, field.column
        sql = f'SELECT id, "{column}" FROM "{table}" WHERE "{column}" <> \'\''  # nosec B608
        return list(db.execute(sql))

    def count(prefix: str, version: int) -> None:
        key = f"{prefix}:{version}"
        found["formats"][key] = found["formats"].get(key, 0) + 1

    try:
        for column in inventory.encrypted_columns():
            for pk, token in rows(column):
                where = f"{inventory.label(column)}:{pk}"
                try:
                    found["values"][where] = ring.decrypt(token, value_binding(column, pk))
                    count(*astuple(parse_token(token)[0]))
                except CryptoError as error:
                    found["unreadable"].append(f"{where}: {error}")
        for field in inventory.encrypted_file_fields():
            for pk, name in rows(field):
                where = f"{inventory.label(field)}:{pk}"
                try:
                    stored = (folder / "attachments" / name).read_bytes()
                    plain = ring.decrypt_bytes(stored, file_binding(field, pk))
                    found["files"][where] = hashlib.sha256(plain).hexdigest()
                    count(*astuple(bytes_header(stored[:16])))
                except (CryptoError, OSError) as error:
                    found["unreadable"].append(f"{where}: {error}")
    finally:
        db.close()
    return found
