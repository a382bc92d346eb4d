"""Transcripts in other languages keep their speech: Chinese without spaces and with `：` labels
is read with its speakers, cut into passages the model can read, found by its own words and
cited exactly.

`SEED_ZH` stands in for the Chinese original of the seed transcript (the English edition of the
20th CPC National Congress press centre's fourth press conference): a Chinese rendering of the
seed written for these tests, laid out as the seed is (an unlabelled question, `沈蓓莉：` alone
on its line above five paragraphs, the pagination footer). `BRIEFING_ZH` is a briefing with
inline `：` labels on every turn.
"""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.passages import MAX_WORDS, chunk_transcript, embedding_text
from assistant.tokens import count_words
from assistant.transcripts import ANSWER, QUESTION, parse_transcript
from embeddings import HashingModel

SEED_ZH = """二十大新闻中心第四场记者招待会 | 2022年10月31日


刚才沈部长介绍，党的对外工作的一条重要经验是全党一盘棋、各地方各部门共同参与。请问中联部在汇聚各方力量方面有哪些经验？

沈蓓莉：

我们始终按照习近平总书记的要求，构建党的对外工作大协同格局，各地方各部门形成合力，服务党和国家中心工作。具体做法如下：

第一，分享发展经验。各地方各部门以多种形式参与党的对外工作，向国际社会介绍中国成就，分享中国式现代化建设的经验和故事，为中国特色社会主义建设争取了更多理解、支持和同路人。我们同地方党委合作举办了一系列专题宣介会，对县级党委常委会会议进行全球直播，邀请外国政党政要实地观摩，许多外国政党人士表示，这样的活动是他们了解中国共产党和中国的一把“金钥匙”。许多地方和部门的领导干部以及党员干部也借助党际交往的机会同外国政要交流，了解外国的治理理念，观察世界、研究世界、借鉴各国经验，为我国发展决策服务。

第二，深化交流促进发展。党的十八大以来，近百个省区市党委主要负责同志率团通过党际渠道出访，结合本地产业发展特点，积极参与双边和多边政党对话交流活动，同时推动经贸、投资、科技等多个领域的合作，助力地方高水平对外开放，为构建新发展格局、推动高质量发展作出了贡献。

第三，搭建平台服务发展。在同地方和部门的密切合作和相互支持下，我们打造了中外政党对话机制，同东盟、上合组织、金砖国家等国际组织成员国开展机制化的党际交流和人文交流，举办经贸对话活动，服务构建新发展格局。我们用好政党合作渠道，搭建工商界对话平台，服务中国对外开放和国际合作。这些活动已成为我们同亚洲、欧洲、非洲、拉美和大洋洲国家交往的品牌活动，全国二十多个省区市积极参与，推动各领域务实合作。我们还举办了“一带一路”港口城市国际论坛、“一带一路”陆海联动发展论坛等活动，推动共建“一带一路”高质量发展。

在新时代新征程上，我们将在党的对外工作中认真贯彻落实党的二十大精神，不断拓展和深化“政党+”交流合作的新渠道新方式，进一步打造全方位的国际交流合作格局，更好服务社会主义现代化建设。谢谢。

<  1  2  3  4  5  6  7  8  9  10  11  12  >
"""

BRIEFING_ZH = """外交部例行记者会 | 2023年3月1日

主持人：下面开始提问。

记者：据报道，今年春季的贸易博览会将扩大规模。请问中方对此有何评论？

毛宁：我们欢迎各国企业参加博览会，共享中国市场机遇。博览会将设立新的展区，展示绿色低碳和数字经济领域的最新成果。

记者：中方如何看待近期的粮食安全问题？

毛宁：粮食安全是全球共同面临的挑战。中方一贯主张加强国际合作，维护粮食产业链供应链稳定，帮助发展中国家提高粮食生产能力。

主持人：今天的记者会到此结束。
"""


def test_chinese_labels_and_speakers():
    """`毛宁：` and `记者：` (full-width colon, no space) open turns; no label is in a quote."""
    t = parse_transcript(BRIEFING_ZH, "briefing_zh.txt")
    assert t.date == "2023-03-01"
    assert [p.speaker for p in t.paragraphs] == ["主持人", "记者", "毛宁", "记者", "毛宁", "主持人"]
    assert all("：" not in p.text[:4] for p in t.paragraphs)
    answer = t.paragraphs[2]
    assert answer.text.startswith("我们欢迎各国企业参加博览会")
    assert BRIEFING_ZH[answer.start : answer.end] == answer.text


def test_the_chinese_seed_is_read_with_its_question_and_speaker():
    """The seed's layout in Chinese: the opening question is a question from the floor, the
    five paragraphs below `沈蓓莉：` are hers and answer it; the footer is not speech."""
    t = parse_transcript(SEED_ZH, "seed_zh.txt")
    assert t.date == "2022-10-31"
    question, *answers = t.paragraphs
    assert question.text.startswith("刚才沈部长介绍") and question.role == QUESTION
    assert [p.speaker for p in answers] == ["沈蓓莉"] * 5
    assert [(p.role, p.question) for p in answers] == [(ANSWER, 1)] * 5
    assert answers[-1].text.endswith("更好服务社会主义现代化建设。谢谢。")


@pytest.mark.parametrize("text", [SEED_ZH, BRIEFING_ZH], ids=["seed", "briefing"])
def test_chinese_paragraphs_are_cut_into_passages_the_model_reads(text):
    """A long Chinese paragraph is cut at `。！？` into windows of at most MAX_WORDS
    characters, each an exact span, so what is embedded fits the model's 256 word pieces."""
    t = parse_transcript(text, "zh.txt")
    chunks = chunk_transcript(t)
    model = HashingModel()
    for chunk in chunks:
        assert text[chunk.start : chunk.end] == chunk.text
        assert count_words(chunk.text) <= MAX_WORDS
    longest = max(t.paragraphs, key=lambda p: len(p.text))
    if len(longest.text) > MAX_WORDS:
        pieces = [c for c in chunks if c.paragraph == longest.index]
        assert len(pieces) > 1
        assert all(c.text.endswith(("。", "”", "！", "？")) for c in pieces[:-1])
    counts = model.token_counts([embedding_text(c, t) for c in chunks])
    assert max(counts) <= model.max_tokens


@pytest.fixture
def chinese_assistant(make_corpus, tmp_path):
    corpus = make_corpus({"zh/seed_zh.txt": SEED_ZH, "zh/briefing_zh.txt": BRIEFING_ZH})
    return Assistant.build(corpus, tmp_path / "index", model=HashingModel())


def test_a_question_in_the_transcripts_own_words_finds_the_passage_and_speaker(
    chinese_assistant,
):
    """Asked in its own words (no spaces anywhere), the answer is the right passage by the
    right speaker, cited by exact offsets."""
    answer = chinese_assistant.ask("毛宁谈到粮食安全和国际合作时说了什么？", k=3)
    assert answer.answered, answer.reason
    top = answer.passages[0]
    assert top.citation.speaker == "毛宁"
    assert "粮食安全是全球共同面临的挑战" in top.text
    source = chinese_assistant.document_text(top.citation.document)
    assert source[top.citation.start : top.citation.end] == top.text


def test_the_chinese_seed_is_found_by_its_own_words_and_cited(chinese_assistant):
    """The seed's Chinese: a question in its words finds Shen Beili's paragraph on the
    dialogue mechanism between Chinese and foreign political parties."""
    answer = chinese_assistant.ask("中外政党对话机制是怎样打造的？", k=3)
    assert answer.answered, answer.reason
    top = answer.passages[0]
    assert top.citation.speaker == "沈蓓莉"
    assert "中外政党对话机制" in top.text
    assert top.citation.document == "zh/seed_zh.txt"


def test_a_chinese_speaker_filter_and_a_name_in_the_question(chinese_assistant):
    """`speaker="沈蓓莉"` narrows to her; her name inside a question without spaces is found."""
    answer = chinese_assistant.ask("金钥匙", speaker="沈蓓莉", k=2)
    assert answer.answered and answer.passages[0].citation.speaker == "沈蓓莉"
    assert chinese_assistant.retriever.resolve("沈蓓莉谈到了哪些发展经验？").speakers == ("沈蓓莉",)


@pytest.mark.model
def test_chinese_passages_fit_the_real_models_window(seed_assistant):
    """all-MiniLM-L6-v2's own tokeniser reads every embedded Chinese passage whole (<= 256)."""
    model = seed_assistant.model
    for text in (SEED_ZH, BRIEFING_ZH):
        t = parse_transcript(text, "zh.txt")
        counts = model.token_counts([embedding_text(c, t) for c in chunk_transcript(t)])
        assert max(counts) <= 256
