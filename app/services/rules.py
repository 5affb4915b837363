"""The rules an outcome is worked out under: today's, or those an assessment was finished with.

An outcome depends on four things besides the answers: the questionnaire version it was
answered on (its levels, points and threshold), roles.yaml, sectors.yaml, and the scoring code
in assessments/. The first three are kept in the rule_files table by checksum the first time an
outcome is recorded under them, so that an old assessment can be evaluated again under exactly
the rules it was finished with. The code cannot be kept that way; its checksum tells when it
changed. The hash of the four checksums is the outcome's `rules` fingerprint.

Questionnaires are kept as the JSON of their validated model (published ones never change, but
a kept copy makes that a fact rather than a promise); roles and sectors as their YAML text.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError

import assessments
from assessments.schema import Questionnaire, Roles, Sectors, parse_yaml

from ..extensions import db
from ..models import RuleFile

#: Where today's roles.yaml and sectors.yaml are read from. Tests point it at an edited copy.
RULES_DIR: Path = assessments.DATA_DIR
ROLES, SECTORS = "roles.yaml", "sectors.yaml"


def checksum(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Rules:
    """A questionnaire version, role and sector rules, parsed, with the checksums of their texts."""

    questionnaire: Questionnaire
    roles: Roles
    sectors: Sectors
    #: (file name, checksum, text) of each, for keeping them in rule_files.
    files: tuple[tuple[str, str, str], ...]

    @property
    def questionnaire_checksum(self) -> str:
        return self.files[0][1]

    @property
    def roles_checksum(self) -> str:
        return self.files[1][1]

    @property
    def sectors_checksum(self) -> str:
        return self.files[2][1]

    @property
    def fingerprint(self) -> str:
        """One hash of everything besides the answers that decides an outcome."""
        return checksum(":".join((*(digest for _, digest, _ in self.files), code_checksum())))


_lock = threading.Lock()
_parsed: dict[str, object] = {}
_kept: dict[tuple[str, ...], Rules] = {}


def _parsed_once(digest: str, parse):  # type: ignore[no-untyped-def]
    """Parse a kept text once per process (validating a questionnaire or the roles takes milliseconds)."""
    with _lock:
        found = _parsed.get(digest)
    if found is None:
        found = parse()
        with _lock:
            _parsed[digest] = found
    return found


_files: dict[Path, tuple[tuple[int, int], str]] = {}


def _read(path: Path) -> str:
    """A rules file's text, read again only when the file changes."""
    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _files.get(path)
    if cached is None or cached[0] != stamp:
        cached = (stamp, path.read_text(encoding="utf-8"))
        _files[path] = cached
    return cached[1]


_dumped: dict[int, tuple[Questionnaire, str, str]] = {}


def _questionnaire_text(questionnaire: Questionnaire) -> tuple[str, str]:
    """(checksum, JSON) of a loaded questionnaire, once per questionnaire object."""
    found = _dumped.get(id(questionnaire))
    if found is None or found[0] is not questionnaire:
        text = questionnaire.model_dump_json()
        found = (questionnaire, checksum(text), text)
        _dumped[id(questionnaire)] = found
    return found[1], found[2]


def _questionnaire_file(questionnaire: Questionnaire) -> str:
    return f"{questionnaire.id}-v{questionnaire.version}.json"


def today(questionnaire: Questionnaire) -> Rules:
    """The rules in force now for an assessment answered on `questionnaire`."""
    q_sum, q_text = _questionnaire_text(questionnaire)
    roles_text, sectors_text = _read(RULES_DIR / ROLES), _read(RULES_DIR / SECTORS)
    r_sum, s_sum = checksum(roles_text), checksum(sectors_text)
    return Rules(
        questionnaire,
        _parsed_once(r_sum, lambda: Roles.model_validate(parse_yaml(roles_text))),
        _parsed_once(s_sum, lambda: Sectors.model_validate(parse_yaml(sectors_text))),
        ((_questionnaire_file(questionnaire), q_sum, q_text), (ROLES, r_sum, roles_text),
         (SECTORS, s_sum, sectors_text)))


def recorded(questionnaire_checksum: str, roles_checksum: str, sectors_checksum: str) -> Rules | None:
    """The rules kept under these checksums, or None when one is missing or no longer validates
    (the caller then uses today's and says what was recorded)."""
    wanted = [questionnaire_checksum, roles_checksum, sectors_checksum]
    with _lock:
        found = _kept.get(tuple(wanted))
    if found is not None:
        return found
    texts = {digest: (name, content) for digest, name, content in db.session.execute(
        db.select(RuleFile.checksum, RuleFile.name, RuleFile.content).where(RuleFile.checksum.in_(wanted)))}
    if any(digest not in texts for digest in wanted):
        return None
    (q_name, q_text), (_, r_text), (_, s_text) = (texts[d] for d in wanted)
    try:
        found = Rules(
            _parsed_once(questionnaire_checksum, lambda: Questionnaire.model_validate_json(q_text)),
            _parsed_once(roles_checksum, lambda: Roles.model_validate(parse_yaml(r_text))),
            _parsed_once(sectors_checksum, lambda: Sectors.model_validate(parse_yaml(s_text))),
            ((q_name, questionnaire_checksum, q_text), (ROLES, roles_checksum, r_text),
             (SECTORS, sectors_checksum, s_text)))
    except (ValidationError, ValueError):
        return None
    with _lock:
        _kept[tuple(wanted)] = found
    return found


def keep(rules: Rules) -> None:
    """Store the rules' texts that are not stored yet (in the caller's transaction)."""
    known = set(db.session.execute(db.select(RuleFile.checksum).where(
        RuleFile.checksum.in_([digest for _, digest, _ in rules.files]))).scalars())
    for name, digest, text in rules.files:
        if digest in known:
            continue
        try:
            with db.session.begin_nested():
                db.session.add(RuleFile(checksum=digest, name=name, content=text))
        except IntegrityError:
            pass  # another request kept the same text at the same moment


@cache
def code_checksum() -> str:
    """The scoring code: every module of assessments/, its judgement and wording included. Any change to it
    changes the fingerprint."""
    digest = hashlib.sha256()
    root = Path(assessments.__file__).parent
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
