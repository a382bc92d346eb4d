"""Verbatim: answers questions over transcripts with the transcripts' own words, each quote cited.

from assistant import Assistant
qa = Assistant.build("corpus/", index_dir=".verbatim/index")
answer = qa.ask("How do localities take part in the Party's foreign affairs work?")
"""

from assistant.answers import Answer, Citation, Context, Passage
from assistant.api import Assistant
from assistant.retrieval import RetrievalConfig

__all__ = ["Answer", "Assistant", "Citation", "Context", "Passage", "RetrievalConfig"]
