"""Argon2id with OWASP's server parameters, a few hashes at a time: memory stays bounded
when many people sign in at once, and passwords hashed before still sign in."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, make_password
from django.contrib.auth.models import User

REAL_HASHERS = [
    "homeward.accounts.hashers.ServerArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]


@pytest.fixture
def real_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = REAL_HASHERS


def test_new_passwords_are_hashed_with_owasps_argon2id_parameters(real_hashing: None) -> None:
    assert make_password("a long test passphrase").startswith(
        "argon2$argon2id$v=19$m=19456,t=2,p=1$"
    )


@pytest.mark.django_db
def test_a_password_hashed_with_the_earlier_parameters_still_signs_in_and_is_rehashed(
    real_hashing: None,
) -> None:
    earlier = Argon2PasswordHasher().encode("a long test passphrase", "saltsaltsalt")
    assert "m=102400,t=2,p=8" in earlier  # what every account has today
    user = User.objects.create(username="amina", password=earlier)
    assert user.check_password("a long test passphrase")
    user.refresh_from_db()
    assert "m=19456,t=2,p=1" in user.password
    assert user.check_password("a long test passphrase")
    assert not user.check_password("another passphrase")


MEASURE = """
import json, os, resource, sys, threading
os.environ["DJANGO_SETTINGS_MODULE"] = "homeward.settings"
import django; django.setup()
from django.contrib.auth.hashers import check_password
earlier = sys.argv[1]
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
threads = [threading.Thread(target=check_password, args=("a long test passphrase", earlier))
           for _ in range(8)]
[t.start() for t in threads]; [t.join() for t in threads]
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"grew_mib": (after - before) / 1024}))
"""


@pytest.mark.slow
def test_eight_sign_ins_at_once_hash_two_at_a_time_in_bounded_memory(tmp_path: Any) -> None:
    """The worst case: eight people whose hashes still carry Django's 100 MiB parameters
    sign in at the same moment. Unbounded, that took the server 800 MiB more."""
    env = {"HOMEWARD_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    earlier = Argon2PasswordHasher().encode("a long test passphrase", "saltsaltsalt")
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, earlier], env=env, capture_output=True, text=True,
        timeout=300, check=True,
    )  # fmt: skip
    grew = json.loads(done.stdout)["grew_mib"]
    print(f"\neight sign-ins at once: the process grew by {grew:.0f} MiB")
    assert grew < 2.5 * 100  # two hashes of 100 MiB at a time, not eight
