"""Cue lexicons for the offline backend: reporting verbs, titles, negation, denial.

Kept as plain Python sets so they are easy to read, extend and review; they
describe English news style in general, never one article.
"""

from __future__ import annotations

import re

# Reporting verbs in the forms news copy uses them, with the claim kind they imply.
_SPEECH = {
    "assertion": (
        "said says say stated states noted notes stressed stresses added adds explained explains "
        "told tells announced announces argued argues insisted insists maintained maintains "
        "assured assures highlighted highlights affirmed affirms declared declares confirmed "
        "confirms reported reports observed observes pointed emphasised emphasized emphasises "
        "emphasizes indicated indicates acknowledged acknowledges admitted admits revealed "
        "reveals wrote writes suggested suggests believes believed thinks thought estimated "
        "estimates concluded concludes recalled recalls commented comments responded responds "
        "replied replies answered continued continues underlined underlines reiterated "
        "reiterates repeated repeats clarified clarifies specified specifies detailed details "
        "remarked remarks asserted asserts contended contends countered counters told "
        "testified testifies conceded concedes agreed agrees"
    ),
    "denial": (
        "denied denies deny rejected rejects dismissed dismisses refuted refutes disputed "
        "disputes contradicted contradicts rebutted rebuts repudiated repudiates disavowed "
        "disavows"
    ),
    "accusation": "accused accuses blamed blames alleged alleges charged charges claimed claims",
    "threat": "warned warns threatened threatens vowed vows",
    "prediction": "predicted predicts forecast forecasts expects expected projected projects",
}
SPEECH_VERBS: dict[str, str] = {
    verb: kind for kind, words in _SPEECH.items() for verb in words.split()
}
# Multi-word reporting expressions that open indirect speech.
SPEECH_PHRASES = (
    "pointed out",
    "went on to say",
    "made clear",
    "made it clear",
    "was quoted as saying",
    "is quoted as saying",
    "said in a statement",
    "said in an interview",
)

HONORIFICS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "prof",
        "sir",
        "dame",
        "lord",
        "lady",
        "rev",
        "gen",
        "col",
        "maj",
        "capt",
        "lt",
        "sgt",
    ]
)
# Roles between an organisation and a person: "Revolutionary Guard spokesman Ramzan Sharif".
ROLE_WORDS = frozenset(
    (
        "activist adviser advisor architect engineer pilot ambassador analyst attorney boss campaigner captain ceo cfo chair "
        "chairman chairwoman chief coach commander correspondent councillor councilor cyclist "
        "defender director doctor driver economist editor envoy executive farmer founder goalkeeper "
        "governor head headteacher inspector judge lawyer leader manager mayor midfielder minister mp "
        "negotiator nurse officer official officials organiser organizer owner passenger president "
        "principal professor prosecutor representative researcher resident scientist secretary "
        "senator spokesman spokesperson spokeswoman strategist striker student superintendent surgeon "
        "teacher treasurer witness worker"
    ).split()
)
# Words that make a capitalised phrase an organisation rather than a person.
ORG_WORDS = frozenset(
    (
        "administration agency airlines airport airways albion alliance army assembly association "
        "athletic authority bank board brands brigade brigades cabinet capital center centre charity "
        "city clinic club coalition college commission committee company congress corp corporation "
        "corps cosmetics council county court department electric energy enterprises entertainment fc "
        "federal federation food foods force forces foundation front fund gas gazette government "
        "group guard guards healthcare herald holdings homes hospital house inc industries institute "
        "insurance international journal laboratories labs league logistics ltd media militia mining "
        "ministry motors movement national network networks news office oil organisation organization "
        "parliament partners party pharma pharmaceuticals plc police port post press rail railways "
        "regulator research retail rovers school senate service services society software solutions "
        "sporting steel stores studios systems tech technologies telecom telegraph therapeutics times "
        "town tribune trust union united university ventures wanderers watchdog"
    ).split()
)
# Capitals used for governments ("criticism from Baghdad") → the country.
CAPITALS = {
    "washington": "United States",
    "tehran": "Iran",
    "baghdad": "Iraq",
    "moscow": "Russia",
    "beijing": "China",
    "london": "United Kingdom",
    "paris": "France",
    "berlin": "Germany",
    "jerusalem": "Israel",
    "damascus": "Syria",
    "beirut": "Lebanon",
    "kyiv": "Ukraine",
    "kiev": "Ukraine",
    "ankara": "Turkey",
    "cairo": "Egypt",
    "riyadh": "Saudi Arabia",
    "tokyo": "Japan",
    "seoul": "South Korea",
    "pyongyang": "North Korea",
    "brussels": "European Union",
    "islamabad": "Pakistan",
    "kabul": "Afghanistan",
    "new delhi": "India",
    "delhi": "India",
    "caracas": "Venezuela",
    "havana": "Cuba",
}
DEMONYMS = {
    "iranian": "Iran",
    "iraqi": "Iraq",
    "israeli": "Israel",
    "american": "United States",
    "us": "United States",
    "u.s.": "United States",
    "russian": "Russia",
    "chinese": "China",
    "british": "United Kingdom",
    "french": "France",
    "german": "Germany",
    "syrian": "Syria",
    "lebanese": "Lebanon",
    "ukrainian": "Ukraine",
    "turkish": "Turkey",
    "egyptian": "Egypt",
    "saudi": "Saudi Arabia",
    "palestinian": "Palestine",
}

PERSON_PRONOUNS = frozenset(["he", "she"])
GROUP_PRONOUNS = frozenset(["they", "it"])
# Definite descriptions that point back to an organisation-like actor.
ORG_ANAPHORS = re.compile(
    r"^(?:the|this|that)\s+(?:\w+\s+)?(group|organi[sz]ation|company|firm|ministry|department|"
    r"agency|government|council|party|movement|militia|union|club|team|authority|regulator|"
    r"administration|bank|board|statement|text|communiqu[eé]|army|police|force|corps|court|"
    r"hospital|university|school|airline|retailer|manufacturer|insurer|operator|carrier|campaign)$",
    re.I,
)
PERSON_ANAPHORS = re.compile(
    r"^(?:the|this|that|its|their|his|her|our)\s+(?:\w+\s+)?(spokes(?:man|woman|person)|minister|president|official|"
    r"leader|chief|director|commander|governor|mayor|senator|ambassador|envoy|adviser|advisor|"
    r"manager|executive|coach|captain|lawyer|attorney|prosecutor|judge|chairman|chairwoman|"
    r"chair|secretary|premier|prime minister|inspector|officer|analyst|economist|professor|"
    r"scientist|doctor|researcher|general|man|woman|founder|owner|boss|player|striker)$",
    re.I,
)

NEGATIONS = frozenset(
    [
        "not",
        "no",
        "never",
        "none",
        "nothing",
        "nobody",
        "neither",
        "nor",
        "cannot",
        "can't",
        "won't",
        "isn't",
        "aren't",
        "wasn't",
        "weren't",
        "doesn't",
        "don't",
        "didn't",
        "hasn't",
        "haven't",
        "hadn't",
        "wouldn't",
        "shouldn't",
        "couldn't",
        "without",
    ]
)
DENIAL_WORDS = frozenset(
    [
        "deny",
        "denies",
        "denied",
        "denial",
        "reject",
        "rejects",
        "rejected",
        "rejection",
        "dismiss",
        "dismissed",
        "dismisses",
        "refute",
        "refuted",
        "refutes",
        "false",
        "untrue",
        "baseless",
        "unfounded",
        "groundless",
        "lies",
        "lie",
        "lying",
        "fabricated",
        "fabrication",
        "nonsense",
        "incorrect",
        "inaccurate",
        "misleading",
        "validity",
        "rubbish",
        "disputed",
        "dispute",
        "disputes",
        "contradicted",
        "contrary",
        "categorically",
    ]
)
# Words whose pairing across two claims signals opposite stances.
ANTONYMS = [
    ("increase", "decrease"),
    ("increased", "decreased"),
    ("rise", "fall"),
    ("rose", "fell"),
    ("up", "down"),
    ("higher", "lower"),
    ("more", "fewer"),
    ("more", "less"),
    ("gain", "loss"),
    ("win", "lose"),
    ("won", "lost"),
    ("safe", "unsafe"),
    ("safe", "dangerous"),
    ("legal", "illegal"),
    ("true", "false"),
    ("accept", "reject"),
    ("accepted", "rejected"),
    ("approve", "oppose"),
    ("approved", "rejected"),
    ("support", "oppose"),
    ("supports", "opposes"),
    ("guilty", "innocent"),
    ("success", "failure"),
    ("improve", "worsen"),
    ("improved", "worsened"),
    ("open", "closed"),
    ("present", "absent"),
    ("before", "after"),
    ("agree", "disagree"),
    ("confirmed", "denied"),
    ("responsible", "innocent"),
    ("profit", "loss"),
    ("growth", "decline"),
    ("strong", "weak"),
    ("always", "never"),
    ("all", "none"),
    ("ordered", "refused"),
    ("cause", "unrelated"),
]
ANTONYM_PAIRS = {frozenset(p) for p in ANTONYMS}

CAUSE_WORDS = frozenset(
    [
        "because",
        "caused",
        "cause",
        "causes",
        "reason",
        "reasons",
        "motive",
        "motives",
        "due",
        "result",
        "revenge",
        "response",
        "retaliation",
        "blamed",
        "blame",
        "behind",
        "responsible",
        "why",
    ]
)

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "if",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "there",
        "their",
        "they",
        "them",
        "he",
        "she",
        "his",
        "her",
        "him",
        "we",
        "our",
        "us",
        "you",
        "your",
        "i",
        "me",
        "my",
        "which",
        "who",
        "whom",
        "whose",
        "what",
        "when",
        "where",
        "how",
        "than",
        "then",
        "so",
        "such",
        "very",
        "can",
        "could",
        "would",
        "should",
        "will",
        "shall",
        "may",
        "might",
        "must",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "not",
        "no",
        "also",
        "just",
        "about",
        "into",
        "over",
        "under",
        "after",
        "before",
        "more",
        "most",
        "other",
        "some",
        "any",
        "all",
        "each",
        "both",
        "only",
        "own",
        "same",
        "too",
        "s",
        "t",
        "said",
        "says",
        "say",
        "told",
        "added",
        "stated",
        "noted",
        "according",
        "one",
        "two",
        "new",
        "last",
        "year",
        "years",
        "time",
        "mr",
        "ms",
        "mrs",
        "dr",
        "up",
        "out",
    ]
)
