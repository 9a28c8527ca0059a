"""Traditional-script text read in simplified characters, for the word lists to match.

The vocabulary, the shapes and the table labels are written in simplified characters; a report
in traditional script (審結, 糾紛, 佔總體的比例) or from a page converted to it is read through
OpenCC's traditional-to-simplified conversion, so 審結 is 审结 to every reader. The conversion
runs only where the text holds enough characters that exist only in traditional script
(vocabulary.yaml `traditional_script`): OpenCC would also turn a simplified 乾 into 干. It is
used only when it keeps every character in place, so every offset still counts in the text as
read; quotes are taken from the text as it stands.
"""

from __future__ import annotations

import re
from functools import lru_cache

from auditor.config import Vocabulary


def simplified(text: str, vocabulary: Vocabulary) -> str:
    """The text in simplified characters where it is in traditional script, else the text."""
    markers = _markers_re(vocabulary.traditional_markers)
    if markers is None or len(markers.findall(text)) < vocabulary.traditional_min_count:
        return text
    converted = _converter().convert(text)
    return converted if len(converted) == len(text) else text


@lru_cache(maxsize=8)
def _markers_re(markers: str) -> re.Pattern | None:
    return re.compile(f"[{re.escape(markers)}]") if markers else None


@lru_cache(maxsize=1)
def _converter():
    import opencc  # imported only for a text in traditional script

    return opencc.OpenCC("t2s")
