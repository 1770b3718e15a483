"""How close the demo outputs come to an exposure: audit again with a wider "small" range.

A published 5 or 6 allows a true 1 to 9 or 10; the auditor flags it when the relations pin it into 1-4.
With ``small_max`` 5, 6, ... this lists the cells the relations bring down to 1-5, 1-6, ...: the margin
the gate keeps on the outputs of one installation key.

    PYTHONPATH=. python -m bench.near_miss /tmp/key-sweep/key-0/published 5 6 7
"""

from __future__ import annotations

import sys
from pathlib import Path

from jamkoll.audit import ProtectionRule, audit_paths


def main() -> None:
    path = Path(sys.argv[1])
    for small_max in (int(a) for a in sys.argv[2:]):
        result = audit_paths([path], rule=ProtectionRule(small_max=small_max), threshold=5)
        print(f"1-{small_max}: {len(result.exposures)} cells", flush=True)
        for e in result.exposures[:15]:
            print(f"  {e.cell.label()} [{e.low:g}, {e.high:g}] {e.attack} {e.hidden_at[:2]}")


if __name__ == "__main__":
    main()
