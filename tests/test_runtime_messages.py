"""runtime.messages: every message key the code raises or reports, found in the source, has English and Persian
with the fields its call fills in; numbers take Persian digits in Persian; errors stay the exceptions callers catch."""
import ast
import re
import string
import subprocess
from pathlib import Path

import pytest

from runtime.messages import MESSAGES, Message, MessageError, UserError, fill, persian_digits

ROOT = Path(__file__).resolve().parent.parent
PERSIAN = re.compile("[\u0600-\u06ff]")
KEYED = {"Message", "MessageError", "UserError"}
"""The names whose calls take a message key first; classes built on them (found in the source) are added."""


def _sources() -> dict[str, str]:
    """The project's own Python files (tracked or new, not ignored), but for the tests and the table itself."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.py"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.split()
    return {path: (ROOT / path).read_text() for path in listed
            if not path.startswith("tests/") and path != "runtime/messages.py" and (ROOT / path).exists()}


def _name(node: ast.expr) -> str | None:
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None


def _keyed_names(trees: dict[str, ast.Module]) -> set[str]:
    """KEYED and every class defined on one of them, however deep."""
    names, grown = set(KEYED), True
    classes = [node for tree in trees.values() for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]
    while grown:
        found = {c.name for c in classes if any(_name(base) in names for base in c.bases)}
        grown, names = not found <= names, names | found
    return names


def _literal_keys(node: ast.expr) -> list[str] | None:
    """The keys a key argument can take: a string literal, or a conditional between such; None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _literal_keys(node.body), _literal_keys(node.orelse)
        return body + orelse if body is not None and orelse is not None else None
    return None


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def message_problems(sources: dict[str, str], table: dict[str, tuple[str, str]]) -> tuple[set[str], list[str]]:
    """The keys the sources raise or report, and what is wrong: a key that is not a literal, missing from the table,
    without English or Persian, with different fields in its two languages or in its call; a table key never used."""
    trees = {path: ast.parse(text, path) for path, text in sources.items()}
    keyed = _keyed_names(trees)
    used, problems = set(), []
    for path, tree in trees.items():
        for call in (node for node in ast.walk(tree) if isinstance(node, ast.Call) and _name(node.func) in keyed):
            where = f"{path}:{call.lineno}"
            keys = _literal_keys(call.args[0]) if call.args else None
            if keys is None:
                problems.append(f"{where}: the message key is not a literal")
                continue
            given = None if any(k.arg is None for k in call.keywords) else {k.arg for k in call.keywords}
            for key in keys:
                used.add(key)
                if key not in table:
                    problems.append(f"{where}: {key!r} is not in the table")
                    continue
                english, persian = table[key]
                if not english.strip() or PERSIAN.search(english):
                    problems.append(f"{where}: {key!r} has no English")
                if not PERSIAN.search(persian):
                    problems.append(f"{where}: {key!r} has no Persian")
                if _fields(english) != _fields(persian):
                    problems.append(f"{where}: {key!r} has other fields in English and Persian")
                if given is not None and given != _fields(english):
                    problems.append(f"{where}: {key!r} is called with {sorted(given)}, its text has "
                                    f"{sorted(_fields(english))}")
    problems += [f"{key!r} is in the table but never raised or reported" for key in sorted(set(table) - used)]
    return used, problems


def test_every_key_the_code_raises_or_reports_has_english_and_persian_with_its_fields():
    used, problems = message_problems(_sources(), MESSAGES)
    assert not problems
    assert len(used) >= 60  # the scan finds the raise sites of images/, lab/, models/ and ui/
    assert {"not_an_image", "too_few_marks", "mark_keys", "weights_offline", "sweep_progress"} <= used


@pytest.mark.parametrize("table, expected", [
    ({"gone": ("Gone.", "")}, "'gone' has no Persian"),
    ({"gone": ("", "رفته است.")}, "'gone' has no English"),
    ({"gone": ("Gone {what}.", "{what} رفته است.")}, "'gone' is called with [], its text has ['what']"),
    ({"other": ("Other.", "دیگر.")}, "'gone' is not in the table"),
])
def test_the_scan_fails_on_a_key_without_a_language_or_a_field(table, expected):
    sources = {"lower/layer.py": "class GoneError(UserError):\n    pass\n\n\ndef f():\n    raise GoneError('gone')\n"}
    _, problems = message_problems(sources, table)
    assert any(expected in problem for problem in problems), problems


def test_the_scan_refuses_a_key_it_cannot_read():
    _, problems = message_problems({"a.py": "kind = 'x'\nMessage(f'sweep_{kind}')\n"}, MESSAGES)
    assert "a.py:2: the message key is not a literal" in problems


def test_an_error_reads_as_its_english_and_is_still_the_exception_callers_catch():
    error = UserError("too_few_marks", count=1)
    assert isinstance(error, ValueError) and isinstance(error, MessageError)
    assert str(error) == "Mark at least two parts (got 1): a scramble moves parts relative to each other."
    assert (error.key, error.fields) == ("too_few_marks", {"count": 1})
    with pytest.raises(KeyError):
        UserError("no_such_message")


def test_numbers_in_persian_take_persian_digits_and_words_their_language():
    assert persian_digits("12,345.5%") == "۱۲٬۳۴۵٫۵٪"
    assert fill("{n:,} {share:.1%} {name!r} {kind}", "fa", n=12345, share=0.953, name="toy-2",
                kind=Message("sweep_rotate")) == "۱۲٬۳۴۵ ۹۵٫۳٪ 'toy-2' چرخش"
    assert fill("{n:,} {share:.1%} {kind}", "en", n=12345, share=0.953, kind=Message("sweep_rotate")) == \
        "12,345 95.3% rotate"
    progress = Message("sweep_progress", kind=Message("sweep_translate"), done=16, total=24)
    assert progress.text("fa") == "پیمایش جابه‌جایی: ۱۶ از ۲۴ تصویر"
    assert str(progress) == "translate sweep: 16/24 images"
