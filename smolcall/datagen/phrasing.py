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
