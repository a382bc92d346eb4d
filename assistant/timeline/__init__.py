"""Over time: a phrase and a topic across dated transcripts, as counts and as cited quotes.

model    Timeline and TimelineRow (to_dict, CSV), the modes
phrase   a phrase folded and matched as the quote check does; one word's inflections
series   the rows over one index: counts, rates, topic passages, quotes
"""

from assistant.timeline.model import MODES, Timeline, TimelineRow, rows_csv
from assistant.timeline.phrase import Phrase, phrase
from assistant.timeline.series import Timelines

__all__ = ["MODES", "Phrase", "Timeline", "TimelineRow", "Timelines", "phrase", "rows_csv"]
