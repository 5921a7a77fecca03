"""The array helpers of batch comparison: birth digits, word rows and readings that travel
to worker processes."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from datetime import date

import numpy as np

from homeward.matching import batch
from homeward.matching.compare import _digits, reading_code
from homeward.matching.names import name_forms, place_forms


def test_birth_digits_are_the_days_written_yyyymmdd() -> None:
    days = [date(2012, 5, 3), date(1970, 1, 1), date(1969, 12, 31), date(2000, 2, 29),
            date(1899, 11, 7), date(2024, 12, 31)]  # fmt: skip
    ordinals = np.array([day.toordinal() for day in days], dtype=np.int64)
    rows = batch._digit_rows(ordinals, np.ones(len(days), dtype=bool))
    written = ["".join(map(str, row)) for row in rows.tolist()]
    assert written == [_digits(day.toordinal()) for day in days]


def test_births_not_known_to_the_day_have_no_digits() -> None:
    ordinals = np.array([date(2012, 5, 3).toordinal(), 0], dtype=np.int64)
    rows = batch._digit_rows(ordinals, np.array([False, False]))
    assert not rows.any()


def test_word_rows_are_made_only_for_the_readings_asked_for() -> None:
    asked = reading_code(name_forms(("Zaynab Test-Rowova",)))
    left_alone = reading_code(place_forms("Rowtown Test Street 17"))
    long_name = reading_code(name_forms(("a b c d e f g h i j",)))
    rows = batch._words_of(np.array([asked, long_name], dtype=np.int64))
    assert {batch._WORDS[number] for number in rows[0] if number >= 0} == {
        token for form in name_forms(("Zaynab Test-Rowova",)) for token in form.tokens
    }
    assert (rows[1] == -2).all()  # too many words: compared in full
    assert batch._reading_words[left_alone, 0] == batch.NOT_READ


UNPICKLE_AND_COMPARE = """
import pickle, sys
from homeward.matching.names import name_forms
copy = pickle.loads(sys.stdin.buffer.read())
(fresh, *_) = name_forms(("Амина Алиева",))
print(copy == fresh, hash(copy) == hash(fresh), {fresh: 1}.get(copy))
"""


def test_a_name_reading_sent_to_another_process_is_equal_and_hashes_as_there() -> None:
    # Another process hashes strings with another seed: a hash carried along would
    # miss every cache look-up there.
    (form, *_) = name_forms(("Амина Алиева",))
    done = subprocess.run(
        [sys.executable, "-c", UNPICKLE_AND_COMPARE],
        input=pickle.dumps(form),
        capture_output=True,
        env={**os.environ, "PYTHONHASHSEED": "12345"},
        check=True,
    )
    assert done.stdout.decode().split() == ["True", "True", "1"]
