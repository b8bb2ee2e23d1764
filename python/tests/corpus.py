"""A deterministic, news-like test corpus, built from the repository's seed
documents and a few hand-written lines (no external data)."""

import json
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_EXTRA = [
    "Talks in Kiev went on late into the night, officials in Kharkov said.",
    "President Zelensky met the mayor of Odessa on Tuesday.",
    "Переговори у Києві тривали до пізньої ночі, повідомили у Харкові.",
    "Переговоры в Киеве продолжались до поздней ночи, сообщили в Харькове.",
    "The [report](#) was published by the ministry in Lvov and Dnepropetrovsk.",
    "Rescuers in Chernigov and Nikolaev worked through the weekend.",
    "Die Gespräche in Kiew dauerten bis spät in die Nacht.",
    "Les discussions à Kiev ont duré jusque tard dans la nuit.",
]
_BOILERPLATE = [
    "Sign up now for unlimited free access to",
    "Advertisement",
    "We use cookies to improve your experience on our site.",
    "Read more: Ukraine war latest",
    "Photo: Sergei Supinsky/AFP",
    "Share this article",
    "Please enable JavaScript to view the comments.",
    "Підпишіться на наш канал",
]
_HEADERS = ["January 7, 2022", "https://example.com/news/2022/01/07/story", "By Jane Roe"]


def _paragraphs():
    paras = []
    for p in sorted((ROOT / "fixtures" / "seeds").glob("*.txt")):
        paras += [line.strip() for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    return paras + _EXTRA


def _mojibake(text):
    return text.encode("utf-8").decode("cp1252", errors="replace")


def make(path, mb, seed=7):
    """Writes about ``mb`` MB of JSON Lines to ``path``; returns the line count."""
    rng = random.Random(seed)
    paras = _paragraphs()
    limit = int(mb * 1_000_000)
    size = n = 0
    with open(path, "w", encoding="utf-8") as out:
        while True:
            body = []
            if rng.random() < 0.3:
                body.append(rng.choice(_HEADERS))
            target = rng.randint(2_000, 15_000)
            while sum(map(len, body)) < target:
                r = rng.random()
                body.append(rng.choice(_BOILERPLATE) if r < 0.15 else rng.choice(paras))
            text = "\n\n".join(body)
            if rng.random() < 0.03:
                text = _mojibake(text)
            rec = {}
            k = rng.random()
            if k < 0.8:
                rec["id"] = f"doc-{n:06d}"
            elif k < 0.9:
                rec["id"] = n
            if rng.random() < 0.3:
                rec["url"] = f"https://example.com/{n}"
            if rng.random() < 0.3:
                rec["meta"] = {"score": rng.random(), "tags": ["news", n % 7], "ok": True, "none": None}
            rec["text"] = text
            line = json.dumps(rec, ensure_ascii=rng.random() < 0.5) + "\n"
            if size + len(line.encode()) > limit:
                return n
            out.write(line)
            size += len(line.encode())
            n += 1
            if rng.random() < 0.01:
                out.write("\n")
