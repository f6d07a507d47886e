"""Argument values and how a user would say them. Pure Python, seeded, offline.

A sampler returns a `Value`: the argument the call must carry, the words the request uses for it,
and (for relative dates) a sentence the request needs so the value can be worked out:

    >>> rng = random.Random(3)
    >>> ctx = RowContext(rng, today=dt.date(2025, 3, 3))
    >>> sample("int(1,12)", ctx)
    Value(arg=4, text='4', context='')

The text is either copied into the call as it stands (names, quoted strings, IDs) or converted
("twenty" -> 20, "next Friday" -> "2025-03-07" given "Today is Monday, March 3, 2025.").
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Value:
    arg: object
    text: str
    context: str = ""


@dataclass
class RowContext:
    """What samplers share within one row: the random stream and the stated "today"."""

    rng: random.Random
    today: dt.date = dt.date(2025, 3, 3)
    words_share: float = 0.2  # how often a small number is written in words
    relative_dates: bool = True
    region_share: float = 0.0  # how often a city is said with its region ("Denver, Colorado"); copied whole
    used_today: bool = field(default=False)

    @property
    def today_sentence(self) -> str:
        return f"Today is {self.today.strftime('%A')}, {_long_date(self.today)}."


# Region names a city may be said with, as people write them ("Austin, Texas", "Austin, TX").
CITY_REGIONS: dict[str, list[str]] = {
    "Paris": ["France"], "Tokyo": ["Japan"], "Nairobi": ["Kenya"], "Lima": ["Peru"], "Oslo": ["Norway"],
    "Toronto": ["Ontario", "ON", "Canada"], "Mumbai": ["India", "Maharashtra"], "Seoul": ["South Korea"],
    "Cairo": ["Egypt"], "Austin": ["Texas", "TX"], "Lisbon": ["Portugal"], "Melbourne": ["Australia", "Victoria"],
    "Reykjavik": ["Iceland"], "Kraków": ["Poland"], "São Paulo": ["Brazil", "SP"], "Hanoi": ["Vietnam"],
    "Denver": ["Colorado", "CO"], "Zürich": ["Switzerland"], "Cape Town": ["South Africa"],
    "Montréal": ["Quebec", "QC", "Canada"], "Bogotá": ["Colombia"], "Tbilisi": ["Georgia"], "Osaka": ["Japan"],
    "Edinburgh": ["Scotland", "UK"], "Marrakesh": ["Morocco"], "Perth": ["Australia", "WA"],
    "Vilnius": ["Lithuania"], "Quito": ["Ecuador"], "Busan": ["South Korea"], "Porto": ["Portugal"],
    "Boise": ["Idaho", "ID"], "Accra": ["Ghana"], "Halifax": ["Nova Scotia", "NS"], "Kyoto": ["Japan"],
    "Seville": ["Spain"],
}

# Pools: plain lists, so iteration order (and so every sample) is fixed for a seed.
POOLS: dict[str, list[str]] = {
    "city": ["Paris", "Tokyo", "Nairobi", "Lima", "Oslo", "Toronto", "Mumbai", "Seoul", "Cairo", "Austin",
             "Lisbon", "Melbourne", "Reykjavik", "Kraków", "São Paulo", "Hanoi", "Denver", "Zürich",
             "Cape Town", "Montréal", "Bogotá", "Tbilisi", "Osaka", "Edinburgh", "Marrakesh", "Perth",
             "Vilnius", "Quito", "Busan", "Porto", "Boise", "Accra", "Halifax", "Kyoto", "Seville"],
    "country": ["France", "Japan", "Kenya", "Peru", "Norway", "Canada", "India", "South Korea", "Egypt",
                "Portugal", "Australia", "Iceland", "Poland", "Brazil", "Vietnam", "Chile", "Ghana",
                "Mexico", "Germany", "New Zealand", "Morocco", "Georgia", "Ireland", "Thailand"],
    "country_code": ["FR", "JP", "KE", "PE", "NO", "CA", "IN", "KR", "EG", "PT", "AU", "IS", "PL", "BR",
                     "VN", "CL", "GH", "MX", "DE", "NZ", "US", "GB", "ES", "IT"],
    "person": ["Ana Müller", "Kwame Mensah", "Priya Raman", "Liam O'Brien", "Sofia Rossi", "Chen Wei",
               "Fatima Zahra", "Diego Hernández", "Yuki Tanaka", "Olga Ivanova", "Noah Smith",
               "Amara Okafor", "Lars Eriksen", "Mei Lin", "Hugo Laurent", "Zainab Bello", "Tom Becker",
               "Isabel Cruz", "Ravi Patel", "Elena Petrova", "Jonas Weber", "Aisha Khan", "Mateo Silva"],
    "first_name": ["Ana", "Kwame", "Priya", "Liam", "Sofia", "Wei", "Fatima", "Diego", "Yuki", "Olga",
                   "Noah", "Amara", "Lars", "Mei", "Hugo", "Zainab", "Tom", "Isabel", "Ravi", "Jonas"],
    "company": ["Acme Corp", "Globex", "Initech", "Umbrella Labs", "Stark Industries", "Wayne Enterprises",
                "Hooli", "Vandelay Imports", "Soylent Co", "Tyrell Systems", "Cyberdyne", "Wonka Foods",
                "Pied Piper", "Oscorp", "Monarch Solutions", "Nakatomi Trading"],
    "product": ["wireless earbuds", "running shoes", "espresso machine", "yoga mat", "4K monitor",
                "mechanical keyboard", "air fryer", "backpack", "desk lamp", "smart watch", "rain jacket",
                "electric kettle", "office chair", "phone case", "water bottle", "noise-cancelling headphones"],
    "currency": ["USD", "EUR", "GBP", "JPY", "INR", "CAD", "AUD", "CHF", "CNY", "BRL", "MXN", "KRW",
                 "SEK", "NOK", "ZAR", "SGD"],
    "language": ["French", "Spanish", "German", "Japanese", "Portuguese", "Italian", "Korean", "Hindi",
                 "Swahili", "Dutch", "Polish", "Turkish", "Arabic", "Greek", "Vietnamese"],
    "lang_code": ["fr", "es", "de", "ja", "pt", "it", "ko", "hi", "sw", "nl", "pl", "tr", "ar", "el", "vi"],
    "ticker": ["AAPL", "MSFT", "TSLA", "NVDA", "AMZN", "GOOGL", "META", "NFLX", "IBM", "ORCL", "SHOP",
               "SAP", "TM", "BABA", "INTC", "AMD"],
    "crypto": ["BTC", "ETH", "SOL", "ADA", "DOT", "XRP", "DOGE", "LTC"],
    "airport": ["JFK", "LHR", "CDG", "HND", "NRT", "SFO", "LAX", "DXB", "SIN", "FRA", "AMS", "YYZ",
                "GRU", "SYD", "ORD", "MAD", "BCN", "IST", "ICN", "DEN"],
    "cuisine": ["Italian", "Thai", "Mexican", "Ethiopian", "Japanese", "Indian", "Lebanese", "Greek",
                "Korean", "Peruvian", "Vietnamese", "French", "Turkish", "Georgian"],
    "dish": ["pad thai", "lasagna", "shakshuka", "ramen", "paella", "butter chicken", "tacos al pastor",
             "moussaka", "bibimbap", "ceviche", "pho", "risotto", "falafel wrap", "banana bread"],
    "ingredient": ["chickpeas", "spinach", "tofu", "salmon", "quinoa", "mushrooms", "eggs", "rice",
                   "lentils", "avocado", "chicken", "feta", "tomatoes", "basil", "garlic", "sweet potato"],
    "genre": ["jazz", "hip hop", "classical", "techno", "country", "reggae", "indie rock", "k-pop",
              "blues", "afrobeats", "metal", "bossa nova"],
    "movie_genre": ["comedy", "thriller", "documentary", "horror", "animation", "sci-fi", "romance",
                    "drama", "western", "mystery"],
    "movie": ["The Silent Harbor", "Neon Orchard", "Paper Moons", "The Last Cartographer",
              "Winter of Glass", "Echoes of Ember", "A Quiet Storm", "The Brass Lantern", "Saltwater Kings",
              "Midnight Atlas", "The Clockmaker's Daughter", "Northern Static"],
    "artist": ["Nova Reyes", "The Paper Kites", "DJ Kalima", "Ingrid Sol", "Marcus Vale", "Lúa Ferreira",
               "The Velvet Owls", "Koji Arakawa", "Selin Aydın", "Bright Harbour"],
    "song": ["Golden Hour Drive", "Paper Planes at Dawn", "Lighthouse", "Slow Rivers", "Neon Rain",
             "Counting Stars Again", "Velvet Sky", "Marigold", "Second Wind", "Fire Escape"],
    "book": ["The Glass Archipelago", "Songs of the Salt Road", "A Map of Small Hours", "The Orchard Keeper's Code",
             "Borrowed Thunder", "Letters to Nowhere", "The Ninth Lantern", "Quiet Engines"],
    "author": ["Mira Castellanos", "Oluwaseun Adeyemi", "Henrik Dahl", "Keiko Mori", "Dana Whitfield",
               "Tomasz Nowak", "Leila Haddad", "Grace Okoro"],
    "team": ["Lakeside Lions", "Harbor City FC", "Red Valley Rockets", "Northside Nomads", "Summit Hawks",
             "Riverside Rangers", "Coastal Comets", "Iron Bay United"],
    "sport": ["football", "basketball", "tennis", "cricket", "baseball", "rugby", "volleyball", "hockey"],
    "color": ["red", "teal", "navy blue", "olive", "black", "white", "mustard yellow", "coral"],
    "room": ["living room", "kitchen", "bedroom", "office", "garage", "hallway", "bathroom", "patio"],
    "device": ["thermostat", "porch light", "ceiling fan", "robot vacuum", "garage door", "smart plug",
               "speaker", "air purifier"],
    "topic": ["renewable energy", "machine learning", "climate policy", "space exploration", "urban gardening",
              "electric cars", "public health", "quantum computing", "ocean plastic", "remote work",
              "cybersecurity", "the Roman Empire", "coral reefs", "sleep science"],
    "word": ["serendipity", "ephemeral", "ubiquitous", "lucid", "resilient", "candor", "meticulous",
             "ambiguous", "quixotic", "paradigm", "eloquent", "frugal"],
    "phrase": ["Where is the train station?", "Good morning, how are you?", "I would like a coffee, please.",
               "Thank you for your help.", "How much does this cost?", "See you tomorrow!",
               "The meeting is postponed.", "Happy birthday!", "Can I pay by card?", "I'm allergic to nuts."],
    "message": ["Running 10 minutes late, start without me", "Don't forget the team lunch at noon",
                "The report is ready for review", "Can we move our call to Thursday?",
                "Happy anniversary! Dinner is on me", "Package arrived, thanks!",
                "Server maintenance tonight from 22:00", "Please bring your laptop tomorrow",
                "Great job on the launch, everyone", "The kids are at grandma's"],
    "title": ["Quarterly budget review", "Dentist appointment", "Team retro", "Call with landlord",
              "Submit tax forms", "Project kickoff", "Pick up dry cleaning", "Renew passport",
              "Yoga class", "Book club", "Sprint planning", "Car service"],
    "subject": ["Invoice #4471", "Meeting notes", "Welcome aboard", "Your order has shipped",
                "Weekend plans", "Updated contract", "Interview schedule", "Travel itinerary"],
    "email": ["ana.muller@example.com", "kwame@mensah.io", "priya.r@example.org", "liam.obrien@example.net",
              "sofia.rossi@example.it", "chen.wei@example.cn", "j.weber@example.de", "team-ops@example.com",
              "support@acme.test", "hr@globex.test"],
    "username": ["@skyline_dev", "@ana_codes", "@travelwithmei", "@kwame.m", "@the_real_ravi", "@olga_paints",
                 "@hugo.l", "@zainab_b"],
    "hashtag": ["#ClimateAction", "#WorldCup", "#TechNews", "#FoodieFriday", "#OpenSource", "#NoCodeDays",
                "#TravelTuesday", "#Marathon2025"],
    "url": ["https://example.com/pricing", "https://docs.example.org/start", "https://shop.example.net/item/42",
            "https://blog.example.com/2025/03/launch", "https://status.example.io", "https://example.edu/syllabus.pdf"],
    "path": ["/home/ana/reports/q1.xlsx", "/var/log/nginx/error.log", "docs/README.md", "src/app/main.py",
             "/tmp/export.csv", "photos/2024/beach.jpg", "/etc/hosts", "backups/db-2025-02-28.sql"],
    "filename": ["report.pdf", "budget_2025.xlsx", "notes.txt", "logo.png", "slides.pptx", "data.csv",
                 "contract_v3.docx", "invoice-0042.pdf"],
    "server": ["web-01", "db-primary", "cache-eu-2", "api-gateway", "worker-07", "auth-svc", "search-3"],
    "repo": ["acme/webapp", "globex/payments", "ana/dotfiles", "initech/tps-reports", "hooli/nucleus"],
    "branch": ["main", "develop", "feature/login", "hotfix/crash-on-start", "release/2.4"],
    "region": ["us-east-1", "eu-west-1", "ap-southeast-2", "eu-central-1", "us-west-2"],
    "zip": ["10001", "94103", "SW1A 1AA", "75008", "100-0001", "2000", "M5V 2T6", "80331"],
    "street": ["12 Baker Street", "221 Maple Avenue", "5 Rue de Rivoli", "48 Ocean Drive", "9 Elm Court",
               "1600 Pine Road", "77 Harbour Lane"],
    "job_title": ["data analyst", "nurse", "software engineer", "graphic designer", "accountant", "teacher",
                  "electrician", "product manager", "chef", "pharmacist"],
    "skill": ["Python", "SQL", "Figma", "public speaking", "Excel", "project management", "Spanish",
              "welding", "copywriting", "Kubernetes"],
    "exercise": ["running", "cycling", "swimming", "yoga", "rowing", "hiking", "weight lifting", "dancing"],
    "planet": ["Mars", "Jupiter", "Venus", "Saturn", "Mercury", "Neptune", "Uranus"],
    "element": ["oxygen", "carbon", "iron", "gold", "helium", "sodium", "calcium", "neon"],
    "molecule": ["H2O", "CO2", "C6H12O6", "NaCl", "CH4", "NH3", "C2H5OH", "H2SO4"],
    "pet": ["dog", "cat", "rabbit", "parrot", "hamster", "guinea pig", "turtle"],
    "breed": ["golden retriever", "siamese", "border collie", "maine coon", "beagle", "dachshund"],
    "game": ["Starfall Tactics", "Kingdom of Ash", "Pixel Racers", "Moonlit Harvest", "Dungeon Drift",
             "Orbital League"],
    "platform": ["PC", "PlayStation", "Xbox", "Switch", "mobile"],
    "plan": ["basic", "standard", "premium", "family"],
    "vehicle": ["Toyota Corolla", "Tesla Model 3", "Ford F-150", "Honda Civic", "VW Golf", "Kia Niro"],
    "medication": ["ibuprofen", "amoxicillin", "loratadine", "metformin", "omeprazole", "paracetamol"],
    "symptom": ["headache", "sore throat", "fever", "back pain", "dry cough", "nausea"],
    "plant": ["monstera", "basil", "fiddle-leaf fig", "snake plant", "tomato plant", "orchid", "lavender"],
    "station": ["Central Station", "Union Square", "Harbourfront", "Airport Terminal 2", "Old Town",
                "University", "Riverside"],
    "course": ["Intro to Statistics", "Organic Chemistry", "World History", "Linear Algebra", "Creative Writing",
               "Macroeconomics", "Data Structures"],
    "phone": ["+1 415 555 0132", "+44 20 7946 0018", "+33 1 70 18 99 00", "+81 3 5555 0199",
              "+254 20 555 0147", "+1 212 555 0175", "+49 30 5555 0123", "+91 22 5555 0110"],
    "flight": ["BA117", "LH400", "AF1280", "UA901", "NH106", "EK202", "QF12", "KL643", "AC870", "TK33"],
    "last4": ["4821", "0093", "7710", "3356", "9042", "1187", "6624", "5009"],
    "claim": ["The Great Wall of China is visible from space", "Bats are blind",
              "Lightning never strikes the same place twice", "Goldfish have a three-second memory",
              "Humans use only 10% of their brains", "Bulls hate the color red"],
    "timezone": ["Europe/Paris", "Asia/Tokyo", "America/New_York", "Africa/Nairobi", "America/Lima",
                 "Australia/Sydney", "Asia/Kolkata", "Europe/London", "America/Denver", "Asia/Seoul"],
    "domain_name": ["example.com", "shop.example.net", "api.example.io", "blog.example.org", "mail.example.dev"],
    "version": ["v2.3.1", "v1.9.0", "v3.0.0-rc1", "v2.4.7", "v0.12.3"],
    "coupon": ["SPRING25", "WELCOME10", "FREESHIP", "VIP2025", "SAVE15NOW"],
    "restaurant": ["Trattoria Luna", "Blue Lotus", "El Fogón", "Café Mirabel", "Sakura House", "The Olive Tree",
                   "Spice Route", "Harbor Grill"],
    "channel": ["#general", "#random", "#dev", "#ops", "#design", "#sales-team"],
    "tv_channel": ["BBC One", "Channel 4", "HBO", "ESPN", "Arte", "NHK", "CNN"],
    "venue": ["Blue Note Hall", "Riverside Arena", "The Grand Theatre", "Union Chapel", "Harbor Pavilion"],
}

_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
          "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def number_words(n: int) -> str:
    """0..999 in English words.

    >>> number_words(42), number_words(300), number_words(115)
    ('forty-two', 'three hundred', 'one hundred fifteen')
    """
    if not 0 <= n < 1000:
        raise ValueError(f"number_words covers 0..999, got {n}")
    if n < 20:
        return _UNITS[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else "-" + _UNITS[n % 10])
    rest = n % 100
    return f"{_UNITS[n // 100]} hundred" + ("" if rest == 0 else " " + number_words(rest))


def join_words(items: list[str]) -> str:
    """`["a", "b", "c"]` -> `"a, b and c"`."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _long_date(d: dt.date) -> str:
    return f"{_MONTHS[d.month - 1]} {d.day}, {d.year}"


# --- samplers: (ctx, *args) -> Value ---


def sample_pool(ctx: RowContext, name: str) -> Value:
    value = ctx.rng.choice(POOLS[name])
    # No draw at region_share 0, so rows built without it stay byte for byte what they were.
    if name == "city" and ctx.region_share and ctx.rng.random() < ctx.region_share:
        value = f"{value}, {ctx.rng.choice(CITY_REGIONS[value])}"
    return Value(value, value)


def sample_int(ctx: RowContext, lo: str = "1", hi: str = "100") -> Value:
    n = ctx.rng.randint(int(lo), int(hi))
    roll = ctx.rng.random()
    if 0 <= n < 1000 and roll < ctx.words_share:
        return Value(n, "a dozen" if n == 12 and roll < ctx.words_share / 3 else number_words(n))
    if n >= 10000 and roll < 0.5:
        return Value(n, f"{n:,}")
    return Value(n, str(n))


def sample_num(ctx: RowContext, lo: str = "1", hi: str = "100", places: str = "2") -> Value:
    x = round(ctx.rng.uniform(float(lo), float(hi)), int(places))
    if x == int(x):
        x = float(int(x))
    if x >= 1000:  # thousands separated; trailing decimal zeros dropped ("1,200.50" -> "1,200.5", "1,200" stays)
        text = f"{x:,.{int(places)}f}"
        text = text.rstrip("0").rstrip(".") if "." in text else text
    else:
        text = f"{x:g}"
    return Value(x, text)


def sample_money(ctx: RowContext, lo: str = "5", hi: str = "5000") -> Value:
    """Whole or .50 amounts; "1,250" and "1.5k" read as 1250 and 1500."""
    n = ctx.rng.randint(int(lo), int(hi))
    if ctx.rng.random() < 0.25:
        x = n + 0.5
        return Value(x, f"{x:,.2f}")
    if n >= 1000 and n % 100 == 0 and ctx.rng.random() < 0.4:
        return Value(n, f"{n / 1000:g}k")
    return Value(n, f"{n:,}")


def sample_pct(ctx: RowContext, lo: str = "1", hi: str = "15") -> Value:
    x = round(ctx.rng.uniform(float(lo), float(hi)) * 4) / 4
    return Value(x, f"{x:g}%")


def sample_rate(ctx: RowContext, lo: str = "1", hi: str = "15") -> Value:
    """A percentage said as one ("4.25%") for a parameter that takes it as a decimal (0.0425)."""
    pct = sample_pct(ctx, lo, hi)
    return Value(round(pct.arg / 100, 6), pct.text)


def sample_pick(ctx: RowContext, *options: str) -> Value:
    choice = ctx.rng.choice(options)
    return Value(choice, choice.replace("_", " "))


def sample_bool(ctx: RowContext) -> Value:
    b = ctx.rng.random() < 0.5
    return Value(b, "yes" if b else "no")


def sample_year(ctx: RowContext, lo: str = "1990", hi: str = "2024") -> Value:
    y = ctx.rng.randint(int(lo), int(hi))
    return Value(y, str(y))


def sample_id(ctx: RowContext, prefix: str = "ID", digits: str = "5") -> Value:
    code = f"{prefix}-{ctx.rng.randint(10 ** (int(digits) - 1), 10 ** int(digits) - 1)}"
    return Value(code, code)


def sample_date(ctx: RowContext, lo: str = "1", hi: str = "60") -> Value:
    """A date `lo..hi` days from today (negative for the past), said in one of several ways."""
    offset = ctx.rng.randint(int(lo), int(hi))
    day = ctx.today + dt.timedelta(days=offset)
    roll = ctx.rng.random()
    if ctx.relative_dates and roll < 0.3 and offset > 0:
        ctx.used_today = True
        if offset == 1:
            return Value(day.isoformat(), "tomorrow", ctx.today_sentence)
        if offset <= 7:
            weekday = _WEEKDAYS[day.weekday()]
            text = f"this {weekday}" if day.weekday() > ctx.today.weekday() else f"next {weekday}"
            return Value(day.isoformat(), text, ctx.today_sentence)
        return Value(day.isoformat(), f"in {offset} days", ctx.today_sentence)
    if roll < 0.6:
        return Value(day.isoformat(), _long_date(day))
    if roll < 0.75:
        return Value(day.isoformat(), f"{day.day} {_MONTHS[day.month - 1]} {day.year}")
    return Value(day.isoformat(), day.isoformat())


def sample_past_date(ctx: RowContext, lo: str = "30", hi: str = "2000") -> Value:
    day = ctx.today - dt.timedelta(days=ctx.rng.randint(int(lo), int(hi)))
    text = day.isoformat() if ctx.rng.random() < 0.5 else _long_date(day)
    return Value(day.isoformat(), text)


def sample_time(ctx: RowContext) -> Value:
    h, m = ctx.rng.randint(7, 21), ctx.rng.choice([0, 0, 15, 30, 45])
    arg = f"{h:02d}:{m:02d}"
    roll = ctx.rng.random()
    if roll < 0.4:
        return Value(arg, arg)
    suffix = "am" if h < 12 else "pm"
    h12 = h if h <= 12 else h - 12
    if m == 30 and roll < 0.55:
        part = "morning" if h < 12 else "afternoon" if h < 18 else "evening"
        return Value(arg, f"half past {number_words(h12)} in the {part}")
    return Value(arg, f"{h12}{'' if m == 0 else f':{m:02d}'} {suffix}")


def sample_minutes(ctx: RowContext) -> Value:
    """Minutes, sometimes said in hours: "an hour and a half" -> 90."""
    minutes = ctx.rng.choice([15, 20, 30, 45, 60, 90, 120, 150, 180])
    if minutes == 90 and ctx.rng.random() < 0.5:
        return Value(90, "an hour and a half")
    if minutes % 60 == 0 and ctx.rng.random() < 0.6:
        hours = minutes // 60
        return Value(minutes, "an hour" if hours == 1 else f"{number_words(hours)} hours")
    return Value(minutes, f"{minutes} minutes")


def sample_quoted(ctx: RowContext, pool: str = "message") -> Value:
    """A string the user quotes: the call gets it without the quotes."""
    text = ctx.rng.choice(POOLS[pool])
    return Value(text, f'"{text}"')


def sample_coords(ctx: RowContext) -> Value:
    lat, lon = round(ctx.rng.uniform(-60, 70), 4), round(ctx.rng.uniform(-170, 170), 4)
    return Value({"lat": lat, "lon": lon}, f"{lat}, {lon}")


def sample_lat(ctx: RowContext) -> Value:
    x = round(ctx.rng.uniform(-60, 70), 4)
    return Value(x, str(x))


def sample_lon(ctx: RowContext) -> Value:
    x = round(ctx.rng.uniform(-170, 170), 4)
    return Value(x, str(x))


def sample_address(ctx: RowContext) -> Value:
    street, city, zip_code = (ctx.rng.choice(POOLS[k]) for k in ("street", "city", "zip"))
    return Value({"street": street, "city": city, "zip": zip_code}, f"{street}, {city} {zip_code}")


def sample_line_items(ctx: RowContext) -> Value:
    names = ctx.rng.sample(POOLS["product"], ctx.rng.randint(1, 3))
    items = [{"name": n, "quantity": ctx.rng.randint(1, 4)} for n in names]
    return Value(items, join_words([f"{i['quantity']} {i['name']}" for i in items]))


def sample_range(ctx: RowContext) -> Value:
    start = ctx.today + dt.timedelta(days=ctx.rng.randint(3, 40))
    end = start + dt.timedelta(days=ctx.rng.randint(2, 10))
    text = f"from {_long_date(start)} to {_long_date(end)}"
    return Value({"start": start.isoformat(), "end": end.isoformat()}, text)


def sample_point(ctx: RowContext) -> Value:
    x, y = ctx.rng.randint(-20, 20), ctx.rng.randint(-20, 20)
    return Value({"x": x, "y": y}, f"{x}, {y}")


def sample_dims(ctx: RowContext) -> Value:
    w, h = ctx.rng.randint(2, 40), ctx.rng.randint(2, 40)
    return Value({"width": w, "height": h}, f"{w} by {h}")


SAMPLERS: dict[str, Callable[..., Value]] = {
    "int": sample_int, "num": sample_num, "money": sample_money, "pct": sample_pct, "rate": sample_rate,
    "pick": sample_pick, "bool": sample_bool, "year": sample_year, "id": sample_id, "date": sample_date,
    "past_date": sample_past_date, "time": sample_time, "minutes": sample_minutes, "quoted": sample_quoted,
    "coords": sample_coords, "lat": sample_lat, "lon": sample_lon, "address": sample_address,
    "line_items": sample_line_items, "date_range": sample_range, "dims": sample_dims, "point": sample_point,
}  # fmt: skip

_SPEC = re.compile(r"^([a-z_][a-z0-9_]*)(?:\((.*)\))?(\*)?$")


def check_sampler(spec: str) -> None:
    """Raise ValueError naming the known samplers when `spec` cannot be sampled."""
    m = _SPEC.match(spec)
    if not m or (m.group(1) not in SAMPLERS and m.group(1) not in POOLS):
        known = ", ".join(sorted(SAMPLERS) + sorted(POOLS))
        raise ValueError(f"unknown sampler {spec!r}; known: {known}")


def sample(spec: str, ctx: RowContext) -> Value:
    """Sample `spec`: a pool name (`city`), a sampler with arguments (`int(1,12)`, `pick(a|b)`),
    or either with `*` for a list of 2-3 distinct values (`ingredient*`)."""
    m = _SPEC.match(spec)
    if m is None:
        raise ValueError(f"bad sampler {spec!r}")
    name, raw_args, many = m.groups()
    args = [a.strip() for a in re.split(r"[,|]", raw_args)] if raw_args else []
    if many:
        values: list[Value] = []
        target = ctx.rng.choice((2, 2, 3))
        for _ in range(20):  # distinct values; small pools may run dry
            v = sample(name if raw_args is None else f"{name}({raw_args})", ctx)
            if v.arg not in [x.arg for x in values]:
                values.append(v)
            if len(values) == target:
                break
        return Value([v.arg for v in values], join_words([v.text for v in values]),
                     " ".join(dict.fromkeys(v.context for v in values if v.context)))
    if name in POOLS:
        return sample_pool(ctx, name)
    if name not in SAMPLERS:
        check_sampler(spec)
    return SAMPLERS[name](ctx, *args)
