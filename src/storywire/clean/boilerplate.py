"""Is a line page furniture rather than article text? General rules, in several languages.

Only *short* lines (at most :data:`MAX_WORDS` words) are ever judged, and a line
that ends like a sentence is kept unless it is almost entirely interface words,
so body text is never dropped by these rules. Each rule returns the reason it
fired, which the cleaning step records.

* interface text: a line made of interface words (share, subscribe, print,
  "please wait", "no script", social networks, ...) with at most two other words;
* icon ligatures: scraped icon fonts leave their names glued to the label
  (``folder_open``, ``access_time``, ``starAdd``);
* navigation: several short items separated by ``|``, ``•``, ``»``, ``›`` or ``/``;
* calls to action ("Follow X on Telegram", "Get the briefing in your inbox") and
  "Read more: <headline>" teasers;
* copyright lines, relative times ("2 months ago"), lines of symbols only.
"""

from __future__ import annotations

import re

MAX_WORDS = 12

# Interface words and phrases, matched as whole words (case-insensitive).
_UI_PHRASES = [
    # English
    r"share(?: this)?(?: article| story| on)?", r"tweet", r"print(?: this)?", r"e-?mail", r"comments?",
    r"subscribe", r"subscription", r"follow us", r"sign (?:up|in)", r"log ?in", r"log ?out", r"register",
    r"newsletters?", r"add to favou?rites", r"favou?rites", r"bookmarks?", r"read (?:more|also|next)",
    r"see also", r"related(?: articles| news| stories)?", r"advertisements?", r"sponsored", r"cookies?",
    r"accept", r"skip to (?:main )?content", r"menu", r"home", r"search", r"close", r"back to top",
    r"no ?script", r"please wait", r"loading", r"(?:enable )?javascript", r"all rights reserved",
    r"copyright", r"download (?:the |our )?app", r"listen to (?:this )?article", r"min(?:ute)?s? read",
    r"click here", r"top stories", r"most (?:read|popular)", r"trending", r"next", r"previous",
    r"join (?:us|our channel)", r"watch", r"live",
    # social networks
    r"facebook", r"twitter", r"telegram", r"whatsapp", r"instagram", r"youtube", r"tiktok", r"linkedin",
    r"reddit", r"pinterest", r"vk", r"rss", r"mastodon", r"threads", r"x\.com", r"social media", r"redes sociales",
    r"réseaux sociaux",
    # French
    r"partager", r"imprimer", r"lire (?:aussi|la suite|plus)", r"abonnez-vous", r"s'abonner", r"publicité",
    r"suivez-nous", r"commentaires?", r"à lire aussi", r"accueil", r"rechercher", r"veuillez patienter",
    # German
    r"teilen", r"drucken", r"mehr zum thema", r"weiterlesen", r"anzeige", r"abonnieren", r"werbung",
    r"folgen sie uns", r"lesen sie auch", r"kommentare", r"startseite", r"suche", r"bitte warten",
    # Spanish
    r"compartir", r"imprimir", r"lea también", r"leer más", r"suscríbete", r"publicidad", r"síguenos",
    r"te puede interesar", r"comentarios", r"inicio", r"buscar", r"por favor espere",
]
_UI = re.compile(r"(?<![\w-])(?:" + "|".join(_UI_PHRASES) + r")(?![\w-])", re.I)
# Icon-font ligature names glued to a label: "folder_openIran", "access_time2", "starAdd".
_ICON = re.compile(r"(?<![\w])[a-z]+(?:_[a-z]+)+(?=[A-Z0-9])|^[a-z]{3,}(?=[A-Z][a-z])")
# Calls to action: a short line opening with such a verb that names a channel,
# newsletter, inbox or social network ("Follow X on Telegram", "Get the briefing in your inbox").
_CTA = re.compile(
    r"^(?:join|follow|subscribe|sign up|get|download|share|like|listen|watch|suivez|rejoignez|abonnez|"
    r"partagez|partager|recevez|folgen|abonnieren|teilen|holen|síguenos|sigue|suscríbete|únete|compartir|recibe)\b",
    re.I,
)
_CHANNEL = re.compile(
    r"\b(?:channel|newsletter|briefing|inbox|app|podcast|alerts|social (?:media|networks)|redes sociales|"
    r"réseaux sociaux|chaîne|kanal|canal|sozialen (?:medien|netzwerken)|facebook|twitter|telegram|whatsapp|"
    r"instagram|youtube|tiktok|linkedin|mastodon)\b",
    re.I,
)
# "Read more: <another headline>" and its translations: links to other articles.
_TEASER = re.compile(
    r"^(?:read (?:more|also|next)|see also|related|more on this|also read|lire aussi|à lire aussi|voir aussi|"
    r"lesen sie auch|mehr zum thema|siehe auch|lea también|te puede interesar|leer más|más información)\s*:",
    re.I,
)
_NAV_SEP = re.compile(r"\s+[|•·»›/]\s+|\s*[|•·»›]\s*")
_COPYRIGHT = re.compile(r"^(?:©|\(c\)|copyright\b)", re.I)
_RELATIVE_TIME = re.compile(
    r"^(?:\w+\s+)?\d+\s+(?:second|minute|hour|day|week|month|year)s?\s+ago$"
    r"|^(?:il y a|vor|hace)\s+\d+\s+\w+$",
    re.I,
)
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_SENTENCE_END = re.compile(r"[.!?:;][\"'”’)]*$")


def boilerplate_reason(line: str) -> str | None:
    """Why ``line`` is page furniture, or ``None`` when it may be article text."""
    words = _WORD.findall(line)
    if not words:
        return "no words" if len(line) <= 3 else None
    if len(words) > MAX_WORDS:
        return None
    if _ICON.search(line):
        return "interface icon text"
    if _TEASER.match(line):
        return "link to another article"
    if _CTA.match(line) and (_CHANNEL.search(line) or len(words) <= 4):
        return "call to action"
    if _COPYRIGHT.match(line):
        return "copyright line"
    if _RELATIVE_TIME.match(line):
        return "relative time"
    items = [i for i in _NAV_SEP.split(line) if i.strip()]
    if len(items) >= 3 and all(len(_WORD.findall(i)) <= 3 for i in items):
        return "navigation"
    ui = _UI.findall(line)
    if ui:
        rest = _WORD.findall(_UI.sub(" ", line))
        ends_sentence = bool(_SENTENCE_END.search(line)) and not line.endswith("...")
        if len(rest) <= (0 if ends_sentence else 2):
            return "interface text"
    return None
