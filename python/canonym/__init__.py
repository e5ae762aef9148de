"""Resolve the many spellings of a name to one canonical entity.

>>> import canonym
>>> r = canonym.Resolver()
>>> r.resolve("Aragushi").canonical
'Abbas Araghchi'
>>> r.fix("The talks were held in Kiev.")
'The talks were held in Kyiv.'

`Resolver` holds an alias table (the embedded default, your CSV, JSON or
TOML files, or records) and answers with `Resolution` and `Mention`
objects. See the package README for the whole API.
"""

from ._canonym import (
    CanonymError,
    Candidate,
    Explanation,
    Mention,
    PartMatch,
    Resolution,
    Resolver,
    TableError,
    __version__,
)

__all__ = [
    "CanonymError",
    "Candidate",
    "Explanation",
    "Mention",
    "PartMatch",
    "Resolution",
    "Resolver",
    "TableError",
    "__version__",
]
