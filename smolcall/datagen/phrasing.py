"""Wording around the requests: wrappers, typos, answers. Pure Python, seeded.

Every generic template has an id, and the train and test pools hold different ones, so test rows
are worded in ways training never showed:

    >>> wrap("Book a table.", "wrap.train.3")
    'Hey, book a table.'
"""

from __future__ import annotations

import random
import re

# Request wrappers: {r} is the request, {lc} the request with a lower-case first letter.
WRAPPERS = {
    "train": {
        "wrap.train.0": "Please {lc}",
        "wrap.train.1": "{r} Thanks!",
        "wrap.train.2": "Hi there. {r}",
        "wrap.train.3": "Hey, {lc}",
        "wrap.train.4": "Quick question: {lc}",
        "wrap.train.5": "I need some help. {r}",
        "wrap.train.6": "{r} Thank you so much.",
        "wrap.train.7": "Can you help me? {r}",
        "wrap.train.8": "{r} ASAP please",
        "wrap.train.9": "Good morning! {r}",
    },
    "test": {
        "wrap.test.0": "Could you please help: {lc}",
        "wrap.test.1": "Hello! {r}",
        "wrap.test.2": "{r} Cheers.",
        "wrap.test.3": "Excuse me, {lc}",
        "wrap.test.4": "{r} Much appreciated.",
        "wrap.test.5": "Hiya. {r}",
    },
}

# Two requests in one message: {a} and {b} are the requests, {b_lc} the second in lower case.
CONNECTORS = {
    "train": {
        "join.train.0": "{a} Also, {b_lc}",
        "join.train.1": "{a} And {b_lc}",
        "join.train.2": "Two things. {a} {b}",
        "join.train.3": "{a} Then {b_lc}",
    },
    "test": {
        "join.test.0": "{a} Plus, {b_lc}",
        "join.test.1": "I have two requests: {a} {b}",
        "join.test.2": "{a} Oh, and {b_lc}",
    },
}

PAIR_JOINS = frozenset({"join.train.2", "join.test.1"})

# Three or four requests in one message, in order, as BFCL's parallel_multiple questions run
# ("Could you first ..., then ... After that, ... Finally, ..."). Train pool only: sequenced rows
# are never drawn for the test split. {r} is a request, {lc} the same in lower case.
SEQUENCE_WORDS = {
    "first": {
        "seq.train.first.0": "{r}",
        "seq.train.first.1": "First, {lc}",
        "seq.train.first.2": "I need a few things. First, {lc}",
        "seq.train.first.3": "Could you help me with several things? {r}",
        "seq.train.first.4": "Please do these in order. {r}",
    },
    "middle": {
        "seq.train.middle.0": "Then {lc}",
        "seq.train.middle.1": "After that, {lc}",
        "seq.train.middle.2": "Next, {lc}",
        "seq.train.middle.3": "Also, {lc}",
        "seq.train.middle.4": "Additionally, {lc}",
        "seq.train.middle.5": "Furthermore, {lc}",
        "seq.train.middle.6": "And {lc}",
    },
    "last": {
        "seq.train.last.0": "Finally, {lc}",
        "seq.train.last.1": "Lastly, {lc}",
        "seq.train.last.2": "And finally, {lc}",
        "seq.train.last.3": "Last, {lc}",
        "seq.train.last.4": "Then {lc}",
    },
}

# A request asked again with other values of one parameter: {values} lists them ("12 and 30").
REPEATS = {
    "repeat.train.0": "Then do the same for {values}.",
    "repeat.train.1": "Then repeat it with {values}.",
    "repeat.train.2": "Do it again for {values} as well.",
    "repeat.train.3": "And the same again with {values}.",
}

# A request whose two lists of values cross: one call for every pair ("Convert a.doc and b.doc to
# pdf and txt": four calls). The request as rendered, then one of these (or nothing: a request
# without "respectively" already means every pair).
CROSSES = {
    "cross.train.0": "{request}",
    "cross.train.1": "{request} Every combination, please.",
    "cross.train.2": "{request} I need all the combinations.",
    "cross.train.3": "{stem} for each combination{end}",
    "cross.train.4": "{request} Do each pair separately.",
}

# No offered function fits: {abilities} lists what the offered ones do.
DECLINES = {
    "train": {
        "decline.train.0": "I'm sorry, but I can't help with that. The functions I have can only {abilities}.",
        "decline.train.1": "Unfortunately none of my available functions can do that. I can {abilities}.",
        "decline.train.2": "That's not something my tools support. I can only {abilities}.",
        "decline.train.3": "Sorry, I don't have a function for that request. I'm able to {abilities}.",
    },
    "test": {
        "decline.test.0": "I can't do that with the functions available to me; they only {abilities}.",
        "decline.test.1": "Sorry, that's outside what my functions cover. They can {abilities}.",
    },
}

# No functions at all and the user asks for an action: {task} is what the request wants.
NO_TOOLS = {
    "train": {
        "notools.train.0": "I'm sorry, but I don't have access to external functions, so I can't {task} for you.",
        "notools.train.1": "I can't do that: I have no tools available to {task}.",
        "notools.train.2": "Unfortunately I'm not able to {task} because I have no access to external functions.",
    },
    "test": {
        "notools.test.0": "Sorry, without any external functions I'm unable to {task}.",
        "notools.test.1": "I don't have a way to {task} right now, as no functions are available to me.",
    },
}

# A required argument is missing: {needs} describes it.
CLARIFY = {
    "train": {
        "clarify.train.0": "Sure, I can help with that. Could you tell me the {needs}?",
        "clarify.train.1": "I'd be happy to. First I need the {needs}.",
        "clarify.train.2": "To do that I need a bit more information: what is the {needs}?",
        "clarify.train.3": "Happy to help! Please provide the {needs}.",
    },
    "test": {
        "clarify.test.0": "Okay. Which {needs} should I use?",
        "clarify.test.1": "I can do that once I know the {needs}. Could you share it?",
    },
}

# The user's follow-up that supplies the missing value: {value}.
SUPPLY = {
    "train": {"supply.train.0": "{value}", "supply.train.1": "It's {value}.", "supply.train.2": "Use {value}, please."},
    "test": {"supply.test.0": "Oh right, {value}.", "supply.test.1": "{value}, thanks."},
}

# The answer after a function response: {facts} lists the response fields.
FINALS = {
    "train": {
        "final.train.0": "Here's what I found: {facts}.",
        "final.train.1": "Done! The result: {facts}.",
        "final.train.2": "All set. {facts_cap}.",
    },
    "test": {
        "final.test.0": "The function returned {facts}.",
        "final.test.1": "Here you go: {facts}.",
    },
}

# Questions no function is needed for, with plain answers.
CHITCHAT = {
    "train": {
        "chat.train.0": ("What is the capital of Australia?", "The capital of Australia is Canberra."),
        "chat.train.1": ("Who wrote Romeo and Juliet?", "Romeo and Juliet was written by William Shakespeare."),
        "chat.train.2": ("Tell me a joke.", "Why don't scientists trust atoms? Because they make up everything!"),
        "chat.train.3": ("How are you today?", "I'm doing well, thank you! How can I help you today?"),
        "chat.train.4": ("What's the boiling point of water at sea level?", "Water boils at 100 °C (212 °F) at sea level."),
        "chat.train.5": ("Can you explain what photosynthesis is?", "Photosynthesis is how plants use sunlight, water and carbon dioxide to make sugar and release oxygen."),
        "chat.train.6": ("Thanks, that's all for now.", "You're welcome! Have a great day."),
        "chat.train.7": ("What does CPU stand for?", "CPU stands for central processing unit."),
        "chat.train.8": ("Give me a tip for sleeping better.", "Try keeping a regular schedule: go to bed and wake up at the same time every day."),
        "chat.train.9": ("How many continents are there?", "There are seven continents."),
        "chat.train.10": ("What's a haiku?", "A haiku is a short Japanese poem of three lines with five, seven and five syllables."),
        "chat.train.11": ("Who painted the Mona Lisa?", "The Mona Lisa was painted by Leonardo da Vinci."),
        "chat.train.12": ("hello", "Hello! How can I help you today?"),
        "chat.train.13": ("What is the largest ocean?", "The Pacific Ocean is the largest ocean on Earth."),
        "chat.train.14": ("Write a one-line motivational quote.", "Small steps every day add up to big results."),
        "chat.train.15": ("What language is spoken in Brazil?", "The official language of Brazil is Portuguese."),
        "chat.train.16": ("Why is the sky blue?", "Sunlight scatters off air molecules, and blue light scatters the most, so the sky looks blue."),
        "chat.train.17": ("What's the difference between weather and climate?", "Weather is the short-term state of the atmosphere; climate is the average weather over many years."),
    },
    "test": {
        "chat.test.0": ("Who discovered penicillin?", "Penicillin was discovered by Alexander Fleming in 1928."),
        "chat.test.1": ("What's the tallest mountain in the world?", "Mount Everest is the tallest mountain above sea level."),
        "chat.test.2": ("Good evening!", "Good evening! What can I do for you?"),
        "chat.test.3": ("How many legs does a spider have?", "A spider has eight legs."),
        "chat.test.4": ("What is a prime number?", "A prime number is a whole number greater than 1 whose only divisors are 1 and itself."),
        "chat.test.5": ("Suggest a name for a goldfish.", "How about Bubbles?"),
        "chat.test.6": ("What is the chemical symbol for gold?", "The chemical symbol for gold is Au."),
    },
}

TEMPLATE_GROUPS = {
    "wrap": WRAPPERS, "join": CONNECTORS, "decline": DECLINES, "notools": NO_TOOLS,
    "clarify": CLARIFY, "supply": SUPPLY, "final": FINALS, "chat": CHITCHAT,
}  # fmt: skip

_WORD = re.compile(r"[A-Za-z]{4,}")


def lower_first(text: str, keep: bool = False) -> str:
    """Lower-case the first letter, unless `keep` (the text starts with a value the call copies)
    or the first word is "I" or an acronym.

    >>> lower_first("What time is it?"), lower_first("I need a cab"), lower_first("AQI in Oslo?")
    ('what time is it?', 'I need a cab', 'AQI in Oslo?')
    """
    first = text.split(" ", 1)[0]
    if keep or first in _KEEP_CAPS or (len(first) > 1 and first[1].isupper()):
        return text
    return text[:1].lower() + text[1:]


_KEEP_CAPS = {"I", "I'm", "I'd", "I've", "I'll"}


def pool_of(template_id: str) -> str:
    return "test" if ".test." in template_id else "train"


def wrap(request: str, template_id: str, keep_first: bool = False) -> str:
    """Put a wrapper around a request."""
    text = WRAPPERS[pool_of(template_id)][template_id]
    return text.format(r=request, lc=lower_first(request, keep_first))


def sequence(requests: list[tuple[str, bool]], template_ids: list[str]) -> str:
    """Requests (text, keeps its first letter) in order, each behind its sequence words.

    >>> sequence([("Convert 5 feet to meters.", False), ("Weather in Oslo?", False)],
    ...          ["seq.train.first.1", "seq.train.last.0"])
    'First, convert 5 feet to meters. Finally, weather in Oslo?'
    """
    if len(requests) != len(template_ids):
        raise ValueError(f"{len(requests)} requests but {len(template_ids)} sequence templates")
    parts = []
    for (text, keep), template_id in zip(requests, template_ids):
        position = template_id.split(".")[2]
        parts.append(SEQUENCE_WORDS[position][template_id].format(r=text, lc=lower_first(text, keep)))
    return " ".join(parts)


def repeat_request(request: str, values: str, template_id: str) -> str:
    """A request followed by the sentence that asks for it again with other values.

    >>> repeat_request("Convert 5 feet to meters", "12 and 30", "repeat.train.0")
    'Convert 5 feet to meters. Then do the same for 12 and 30.'
    """
    text = request if request[-1:] in ".?!" else request + "."
    return f"{text} {REPEATS[template_id].format(values=values)}"


def respectively(request: str) -> str:
    """A request whose lists of values pair up in order.

    >>> respectively("Play Adele and Muse for 20 and 15 minutes.")
    'Play Adele and Muse for 20 and 15 minutes respectively.'
    """
    end = request[-1] if request[-1:] in ".?!" else ""
    return request[: len(request) - len(end)].rstrip(" ,") + " respectively" + end


def cross(request: str, template_id: str) -> str:
    """A request whose lists of values cross, said with one of CROSSES.

    >>> cross("Convert a.doc and b.doc to pdf and txt.", "cross.train.3")
    'Convert a.doc and b.doc to pdf and txt for each combination.'
    >>> cross("pdf and txt of a.doc and b.doc", "cross.train.1")
    'pdf and txt of a.doc and b.doc. Every combination, please.'
    """
    end = request[-1] if request[-1:] in ".?!" else ""
    stem = request[: len(request) - len(end)].rstrip(" ,")
    return CROSSES[template_id].format(request=stem + (end or "."), stem=stem, end=end)


def join_requests(a: str, b: str, template_id: str, keep_first_b: bool = False) -> str:
    """Two requests in one message."""
    text = CONNECTORS[pool_of(template_id)][template_id]
    return text.format(a=a, b=b, b_lc=lower_first(b, keep_first_b))


def add_typos(text: str, rng: random.Random, rate: float) -> str:
    """Misspell some words of 4+ letters (swap, drop or double a letter) at `rate` per word.

    Only ever applied to the template's own words, never to the values the call must copy.
    """

    def typo(m: re.Match) -> str:
        word = m.group(0)
        if rng.random() >= rate:
            return word
        i = rng.randrange(1, len(word) - 1)
        op = rng.choice(("swap", "drop", "double"))
        if op == "swap":
            return word[:i] + word[i + 1] + word[i] + word[i + 2:]
        if op == "drop":
            return word[:i] + word[i + 1:]
        return word[:i] + word[i] + word[i:]

    return _WORD.sub(typo, text)


def terse(text: str, keep_first: bool = False) -> str:
    """Lower-case first letter, no final punctuation: how people type in a hurry."""
    return lower_first(text, keep_first).rstrip(".?!")
