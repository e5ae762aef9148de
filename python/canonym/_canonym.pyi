"""Type stubs of the compiled module (canonym._canonym)."""

import os
from typing import Iterable, List, Mapping, Optional, Sequence, Tuple, Union, final

__all__ = [
    "Resolver",
    "Resolution",
    "Candidate",
    "Explanation",
    "PartMatch",
    "Mention",
    "CanonymError",
    "TableError",
    "__version__",
]

__version__: str

_StrPath = Union[str, "os.PathLike[str]"]

class CanonymError(Exception):
    """The base class of canonym's own errors."""

class TableError(CanonymError):
    """A table that cannot be used."""

    path: Optional[str]
    """The table's file; None for records given in memory."""
    line: Optional[int]
    """The line (or record number, from 1) at fault; None for the whole file."""

@final
class Candidate:
    """One entity the resolver weighed for a name."""

    id: str
    canonical: str
    kind: Optional[str]
    matched: str
    """The table name (canonical or alias) that matched."""
    match: str
    """`exact`, `alias`, `normalized` or `fuzzy`."""
    score: float
    """Similarity of the name to `matched`, in [0, 1]."""

@final
class PartMatch:
    """How one part of a name matched a part of the table's name."""

    query: str
    name: str
    score: float
    edits: List[Tuple[str, float]]

@final
class Explanation:
    """Why a fuzzy answer scored as it did."""

    normalized: str
    parts: List[PartMatch]
    notes: List[str]

@final
class Resolution:
    """Which entity a name is, how sure, and why."""

    query: str
    status: str
    """`exact`, `alias`, `fuzzy`, `ambiguous` or `unknown`."""
    id: Optional[str]
    canonical: Optional[str]
    kind: Optional[str]
    match: Optional[str]
    matched: Optional[str]
    confidence: float
    """In [0, 1]: 1 for the table's own names, else the calibrated probability."""
    best: Optional[Candidate]
    runner_up: Optional[Candidate]
    candidates: List[Candidate]
    explanation: Optional[Explanation]
    @property
    def score(self) -> float:
        """The confidence, as the CLI's JSON calls it."""
    @property
    def resolved(self) -> bool:
        """Whether the name resolved to one entity."""

@final
class Mention:
    """A name found in text."""

    start: int
    """Byte offset into the text's UTF-8 encoding."""
    end: int
    char_start: int
    """Offset into the Python string: text[char_start:char_end] == surface."""
    char_end: int
    surface: str
    replacement: Optional[str]
    by_context: bool
    resolution: Resolution
    @property
    def id(self) -> Optional[str]: ...
    @property
    def canonical(self) -> Optional[str]: ...
    @property
    def status(self) -> str:
        """`finding` or `ambiguous`, as `canonym check --json`."""

@final
class Resolver:
    """Resolves names to a table's entities and finds them in text."""

    def __new__(
        cls,
        tables: Union[None, _StrPath, Sequence[_StrPath]] = None,
        *,
        default: Optional[bool] = None,
        threshold: Optional[float] = None,
        margin: Optional[float] = None,
        exhaustive: Optional[bool] = None,
    ) -> "Resolver": ...
    @classmethod
    def from_records(
        cls,
        records: Iterable[Mapping[str, object]],
        *,
        default: bool = False,
        threshold: Optional[float] = None,
        margin: Optional[float] = None,
        exhaustive: Optional[bool] = None,
    ) -> "Resolver": ...
    def resolve(self, name: str, *, explain: bool = False) -> Resolution: ...
    def resolve_batch(self, names: Iterable[str]) -> List[Resolution]: ...
    def scan(self, text: str) -> List[Mention]: ...
    def findings(self, text: str) -> List[Mention]: ...
    def check(self, text: str) -> List[Mention]: ...
    def fix(self, text: str) -> str: ...
    @property
    def threshold(self) -> float: ...
    @property
    def margin(self) -> float: ...
    def __len__(self) -> int: ...
