"""A deterministic generator of realistic, varied staff posts for benchmarks.

The same seed always gives the same posts, so figures from two machines or two commits are
measured on identical input. Posts are built from templates filled with the demo school's people
(Westmoor Primary), spread over the autumn term's school days, evenings and weekends, about
60% clean and 40% with something the policies care about, each 100 to 300 characters.

    python benchmarks/posts.py 1000 > posts.jsonl
"""

from __future__ import annotations

import json
import random
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from postguard.school.loader import load_demo_school

SEED = 2026
TERM_START = date(2026, 9, 2)
TERM_DAYS = 108  # to 18 December
LONDON = ZoneInfo("Europe/London")

CLEAN = [
    "So proud of everyone at the {event} today, the hall looked amazing and the children did "
    "us proud.",
    "Had a bad day at work. Home, cup of tea, early night.",
    "What a bloody shambles from {team} today. That defending was absolute shite.",
    "Went to the hustings at the village hall tonight. Whoever you back, please do use your "
    "vote on Thursday.",
    "Lunch break sunshine and the best jacket potato in {town}.",
    "Crisp autumn walk along the {river} this morning, the colours are unreal at the moment.",
    "Anyone got a good recipe for parkin? Bonfire night is nearly here and I have promised to "
    "bake.",
    "Marathon training update: 14 miles done in the rain, legs like jelly, very happy.",
    "Lovely to catch up with old friends in {town} tonight. Far too much cake was eaten.",
    "Can't wait for the {event}! Tickets from the office, all money goes to the library fund.",
    "Great to bump into you at the match, {adult_first}. Good luck with the new job!",
    "Finally finished the jigsaw. 2,000 pieces and only one missing, which the dog ate.",
]
PROBLEM = [
    "Proud teacher moment: {pupil} from my class finally cracked the 7 times table today!",
    "Hi {pupil_first}! Add me :)",
    "Hi {parent_first}, can you give me a ring tonight about {pupil_first}? My mobile is "
    "{mobile}.",
    "Can't say much but the Ofsted grades came in today and we didn't get good. Keep it under "
    "your hat!",
    "Guess who's been suspended pending an investigation... Year {year} will have a supply "
    "teacher for a while.",
    "{school} is honestly the worst employer I've ever had. Management haven't got a clue.",
    "Third unpaid twilight this week and still no answer on our pay grievance. If SLT won't "
    "listen, maybe Twitter will.",
    "Some parent at pick-up today was an absolute idiot. Told her where to shove her complaint.",
    "If that dad shouts at me in the car park one more time I swear I'll knock him out.",
    "Another letter to translate. These people should learn English if they want to live here.",
    "Everyone knows {governor} has been fiddling the PTA funds for years.",
    "Off to Tenerife for two weeks! House empty so post parcels to {house} Station Road, "
    "{town} NE61 6XX.",
    "Teacher at {school}. Parents can reach me on {email} any time.",
    "Out canvassing all weekend. Vote Labour on Thursday to get the council back on track!",
    "Really worried about one of my Year {year} lads. Bruises again and he's scared to go home.",
    "Don't tell your mum, but I've got a present for you. Meet me by the back gate after "
    "school?",
]
FILLER = [
    "What a week it has been.",
    "Honestly, where does the time go?",
    "Roll on the weekend.",
    "Pictures to follow when I find the charger.",
    "Thanks everyone for the kind messages.",
    "More on this tomorrow.",
    "The weather cannot make up its mind today.",
    "Fingers crossed for next time.",
    "Coffee number three and counting.",
    "The dog is not impressed.",
    "Off to the gym, wish me luck.",
    "Anyone else watching the match tonight?",
    "My mum would be proud.",
    "Home time at last.",
    "Still can't believe it's nearly Christmas.",
    "Right, back to the marking pile.",
    "Early night for me.",
    "Who knew it could rain this much in {town}?",
    "Big thanks to {adult_first} for the lift.",
    "Bring on half term.",
]
PLACES = {"team": ["Newcastle", "Sunderland", "Morpeth Town", "Blyth Spartans"],
          "town": ["Morpeth", "Pegswood", "Ashington", "Alnwick"],
          "river": ["Wansbeck", "Coquet", "Tyne"]}


def _moment(rng: random.Random) -> datetime:
    day = TERM_START + timedelta(days=rng.randrange(TERM_DAYS))
    if day.weekday() < 5 and rng.random() < 0.45:
        minutes = rng.randrange(8 * 60, 16 * 60 + 30)  # the school day, lessons and breaks
    else:
        minutes = rng.randrange(7 * 60, 23 * 60)
    clock = time(minutes // 60, minutes % 60)
    # School-local clock times, so that "lesson time" means the same as on the timetable; the
    # offsets come out as +01:00 before the clocks go back on 25 October and +00:00 after.
    return datetime.combine(day, clock, tzinfo=LONDON)


class PostMaker:
    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        school = load_demo_school()
        self.school = school
        self.staff = list(school.people.staff)
        self.pupils = list(school.people.pupils)
        self.parents = list(school.people.parents)
        self.governors = list(school.people.governors)
        self.events = list(school.announced_events)

    def _fill(self, template: str) -> str:
        rng = self.rng
        pupil = rng.choice(self.pupils)
        parent = rng.choice(self.parents)
        values = {
            "event": rng.choice(self.events), "pupil": pupil.name,
            "pupil_first": pupil.first_name, "parent_first": parent.first_name,
            "adult_first": rng.choice(["Josh", "Sam", "Becky", "Dan"]),
            "governor": rng.choice(self.governors).name, "school": self.school.name,
            "year": rng.randrange(1, 7), "house": rng.randrange(1, 90),
            "mobile": f"07{rng.randrange(100, 999)} {rng.randrange(100000, 999999)}",
            "email": f"{rng.choice(self.staff).first_name.lower()}@"
                     f"{self.school.email_domains[0]}",
            **{name: rng.choice(choices) for name, choices in PLACES.items()},
        }
        text = template.format(**values)
        if rng.random() < 0.3:  # two thoughts in one post, in either order
            other = rng.choice(CLEAN).format(**values)
            text = f"{text} {other}" if rng.random() < 0.5 else f"{other} {text}"
        # Pad with neutral sentences (no repeats) so lengths spread over 100-300 characters.
        target = rng.randrange(100, 300)
        for extra in rng.sample(FILLER, len(FILLER)):
            if len(text) >= target:
                break
            extra = extra.format(**values)
            if len(text) + len(extra) + 1 <= 300:
                text = f"{text} {extra}"
        return text[:300]

    def post(self, number: int) -> dict[str, Any]:
        rng = self.rng
        problem = rng.random() < 0.4
        template = rng.choice(PROBLEM if problem else CLEAN)
        author = rng.choice(self.staff)
        record: dict[str, Any] = {
            "id": f"bench-{number:06d}", "author": author.id, "text": self._fill(template),
            "posted_at": _moment(rng).isoformat(),
            "platform": rng.choice(["facebook", "x", "instagram"]),
        }
        if template.startswith("Hi {pupil_first}"):
            record.update(action="friend_request", audience="direct",
                          target=rng.choice(self.pupils).id)
        elif template.startswith("Hi {parent_first}"):
            record.update(action="message", audience="direct",
                          target=rng.choice(self.parents).id)
        elif template.startswith("Teacher at"):
            record.update(action="profile")
        elif not problem and rng.random() < 0.1:
            account = rng.choice(self.school.official_accounts)
            record.update(account="official", account_id=account.id,
                          author=rng.choice(self.staff).id,
                          approved_by=rng.choice(account.approvers))
            if rng.random() < 0.5:
                record["links"] = [rng.choice(["https://www.bbc.co.uk/news",
                                               "https://photos.example.net/gallery"])]
        elif rng.random() < 0.2:
            record.update(audience="friends")
        return record


def generate(count: int, seed: int = SEED) -> list[dict[str, Any]]:
    maker = PostMaker(seed)
    return [maker.post(number) for number in range(1, count + 1)]


def write_jsonl(path: Path, count: int, seed: int = SEED) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for record in generate(count, seed):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


if __name__ == "__main__":
    how_many = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    for item in generate(how_many):
        sys.stdout.write(json.dumps(item, ensure_ascii=False) + "\n")
