"""Untrusted input files are read under size, memory and time limits; workbooks in a separate process.

Every file the import reads (``jamkoll import``, ``jamkoll validate``, the web upload, the indicator
import) comes through :func:`jamkoll.ingest.readers.read_file`, which applies these limits:

* **Size**: a CSV file may be at most :data:`MAX_CSV_BYTES` (1 GiB), an XLSX file at most
  :data:`MAX_XLSX_BYTES` (256 MB) on disk; larger files are refused before they are read.
* **XLSX: checked, then read in a separate process.** :func:`read_xlsx_isolated` first checks the
  archive, its XML and the extent of every sheet (:mod:`jamkoll.ingest.xlsx_guard`), then reads
  the workbook, in a child process whose address space is limited to :func:`memory_limit` bytes
  (``RLIMIT_AS``; **4 GiB** unless ``JAMKOLL_READER_MEMORY_MB`` says otherwise) and whose run time
  is limited to :func:`time_limit` seconds (600 unless ``JAMKOLL_READER_TIMEOUT`` says otherwise;
  wall clock, and the same in CPU seconds as ``RLIMIT_CPU``). A reader that runs out of memory, is
  killed or aborts (python-calamine's Rust code aborts the whole process when an allocation fails,
  which Python cannot catch) fails that one file with a Swedish message naming it and saying what
  to do; the calling process, a web server with other users' requests among them, goes on.
  Measured: a workbook of 100 000 rows and 13 columns takes 0.3 GB of memory (1.6 GB of address
  space) to read; one of a million rows 1.9 GB (3.2 GB of address space), within the default.
  Wider million-row workbooks need a higher limit, or CSV.
* **CSV is read in the calling process**, under the size limit only: a text file has no
  compression, entities or declared dimensions, Arrow's and pandas' parsers run in time and memory
  linear in its size (a few times the file), so 1 GiB of CSV bounds both, and the one-million-row
  path stays as fast as it was.

The child is forked from a small server process that has the readers already imported
(``multiprocessing``'s *forkserver* start method on Linux and macOS), so a child costs milliseconds,
not the second it takes to import pandas, and forking never copies a threaded web server. Where
there is no ``resource`` module (Windows) the child runs under the time limit only.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import time
import types
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from jamkoll.ingest.problems import Problem

MAX_CSV_BYTES = 1024 * 1024 * 1024
MAX_XLSX_BYTES = 256 * 1024 * 1024
_DEFAULT_MEMORY_MB = 4096
_DEFAULT_TIMEOUT_S = 600


def memory_limit() -> int:
    """Bytes of address space a reader process may use (``JAMKOLL_READER_MEMORY_MB``, default 4096)."""
    return int(os.environ.get("JAMKOLL_READER_MEMORY_MB", _DEFAULT_MEMORY_MB)) * 1024 * 1024


def time_limit() -> float:
    """Seconds a reader process may run (``JAMKOLL_READER_TIMEOUT``, default 600)."""
    return float(os.environ.get("JAMKOLL_READER_TIMEOUT", _DEFAULT_TIMEOUT_S))


def size_problem(path: Path, xlsx: bool) -> Problem | None:
    """A problem when the file is larger than its type allows (checked before it is read)."""
    limit = MAX_XLSX_BYTES if xlsx else MAX_CSV_BYTES
    size = path.stat().st_size
    if size <= limit:
        return None
    kind = "en XLSX-fil" if xlsx else "en CSV-fil"
    remedy = "Dela upp den i flera filer eller spara den som CSV." if xlsx else "Dela upp den i flera filer."
    return Problem(path.name, f"Filen är {_mb(size)}, större än de {_mb(limit)} som {kind} får vara. {remedy}")


def read_xlsx_isolated(path: Path, name: str | None = None, *,
                       guard: bool = True) -> tuple[list[Any], list[Problem]]:
    """Check and read a workbook in a child process under the memory and time limits.

    Returns the sheets and problems of :func:`jamkoll.ingest.readers._read_xlsx`, or one problem
    naming the file when the checks refuse it or the child fails. ``guard=False`` skips the checks
    of :mod:`jamkoll.ingest.xlsx_guard`: only to show that the process limits hold on their own.
    """
    name = name or path.name
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    limit, seconds = memory_limit(), time_limit()
    child = context.Process(target=_read_in_child, args=(str(path), name, sender, limit, seconds, guard),
                            name="jamkoll-reader")
    _start(child)
    sender.close()
    deadline = time.monotonic() + seconds
    try:
        if receiver.poll(max(0.0, deadline - time.monotonic())):
            try:
                result: tuple[list[Any], list[Problem]] = receiver.recv()
                return result
            except (EOFError, OSError):
                pass  # the child died before it could answer: reported below
            child.join(5)
            return [], [Problem(name, _crash_reason(child.exitcode, limit))]
        shown = f"{seconds:g}".replace(".", ",")
        return [], [Problem(name, (
            f"Filen kunde inte läsas inom {shown} sekunder och avbröts. Dela upp den i mindre filer, "
            "eller spara den som CSV, och försök igen."
        ))]
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join(5)
        child.close()


_START_LOCK = threading.Lock()


def _start(child: Any) -> None:
    """Start the child without re-running the caller's main module in it.

    ``multiprocessing`` re-imports the parent's ``__main__`` in every child of the spawn and
    forkserver methods (for pickled functions defined there). The reader needs nothing from it, and
    importing it would cost time and, in a script without an ``if __name__ == "__main__"`` guard,
    re-run the script. While the child's preparation data is taken, ``__main__`` is a bare module.
    """
    with _START_LOCK:
        main = sys.modules["__main__"]
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            child.start()
        finally:
            sys.modules["__main__"] = main


def _context() -> Any:
    if sys.platform == "win32" or "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # The server imports the readers once; each child is a fork of it. Only this module is preloaded
    # (not the caller's ``__main__``, which may be a test runner or a web server).
    context.set_forkserver_preload(["jamkoll.ingest.sandbox", "jamkoll.ingest.sandbox_child"])
    return context


def _read_in_child(path: str, name: str, sender: Connection, limit: int, seconds: float, guard: bool) -> None:
    from jamkoll.ingest.sandbox_child import read_checked

    _apply_limits(limit, seconds)
    try:
        result = read_checked(Path(path), name, guard=guard)
    except MemoryError:
        result = ([], [Problem(name, _memory_reason(limit))])
    try:
        sender.send(result)
    except MemoryError:
        sender.send(([], [Problem(name, _memory_reason(limit))]))
    finally:
        sender.close()


def _apply_limits(limit: int, seconds: float) -> None:
    try:
        import resource
    except ImportError:  # Windows: the parent's wall-clock limit still applies
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    cpu = int(seconds) + 5
    soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu if hard == resource.RLIM_INFINITY else min(cpu, hard), hard))


def _memory_reason(limit: int) -> str:
    return (
        f"Filen kräver mer minne än de {_mb(limit)} som läsningen av en fil får använda och lästes inte. "
        "Kontrollera att bladen inte har innehåll eller formatering långt ner eller långt ut till höger, "
        "dela upp filen i mindre filer eller spara den som CSV, och försök igen."
    )


def _crash_reason(exitcode: int | None, limit: int) -> str:
    signal = -exitcode if exitcode is not None and exitcode < 0 else None
    how = f"signal {signal}" if signal else f"slutkod {exitcode}"
    return (
        f"Läsningen av filen avbröts ({how}), troligen för att filen kräver mer minne än de {_mb(limit)} som "
        "läsningen av en fil får använda. Inget har lästs in från filen. Kontrollera att bladen inte har "
        "innehåll eller formatering långt ner eller långt ut till höger, spara om filen i Excel eller som "
        "CSV, och försök igen."
    )


def _mb(size: int) -> str:
    if size >= 1024 ** 3:
        return f"{size / 1024 ** 3:.0f} GB"
    return f"{size / (1024 * 1024):.0f} MB"
