"""What the pictures on a post show, from what the poster declares and the file's metadata.

Looking at the pixels (faces, logos, text in pictures) comes in a later version. This one reads
what the poster declares about each picture (``shows_children``, ``contains_logo``,
``taken_at_work``, ``source``), the words of its description, and the EXIF GPS block, which
Pillow reads from the file's header without decoding the picture. A declared true or false wins
over the description; the description is read only when nothing is declared.

Signals have no text span; their data carry the picture's position in ``post.images`` (``index``,
from 0) and its ``path`` (None for pictures given as bytes). Explanations count from 1.
"""

from __future__ import annotations

import math
import re
from io import BytesIO
from urllib.parse import urlsplit

from postguard.engine.detector import Detector
from postguard.engine.post import Image
from postguard.engine.registry import register
from postguard.engine.signals import Signal
from postguard.engine.text import Document
from postguard.school.model import School

DECLARED = 1.0
DESCRIBED = 0.8

# Possessives such as "the children's paintings" or "pupils' work" are about what children made,
# not pictures of them.
_THEIR_WORK = (
    r"(?!['’]s?\s+(?:work|art|artwork|paintings?|drawings?|writing|projects?|models?|books?"
    r"|poems?|posters?|display|displays|designs?|crafts?)\b)"
)
CHILDREN = re.compile(
    r"\b(?:children|child|kids?|pupils?|students?|schoolchildren|boys|girls|toddlers?"
    r"|bab(?:y|ies)|classmates?|year\s*\d{1,2}s"
    r"|(?:my|our|the|whole|year\s*\d{1,2}|reception|nursery)\s+class(?:es)?"
    r"|class\s+\d\w{0,2})\b" + _THEIR_WORK,
    re.IGNORECASE,
)
AT_WORK = re.compile(
    r"\b(?:(?:at|in)\s+(?:school|work|class)(?!\s+uniform)|classrooms?|staff\s?room"
    r"|playground|school\s+(?:hall|office|field|gates?|gym|kitchen|library|trip|corridor))\b",
    re.IGNORECASE,
)
CREDIT = re.compile(
    r"©|\(c\)|\b(?:credits?|courtesy|copyright|(?:photo(?:graph)?|picture|image|pic)\s+by"
    r"|taken\s+by|(?:with|by)\s+(?:(?:their|his|her|kind)\s+)?permission"
    r"|permission\s+(?:from|of|granted|given)|used\s+with|licen[cs]ed|creative\s+commons"
    r"|cc[\s-]by|reproduced|via\s+@\w+)",
    re.IGNORECASE,
)
# Sources that name the poster or the school itself rather than someone else.
OWN_SOURCE = re.compile(
    r"(?:own|mine|me|myself|self|original|author|poster|(?:taken\s+)?by\s+me|i\s+took\s+it"
    r"|my\s+own(?:\s+\w+)?|my\s+(?:photo|picture|camera|phone)|(?:the\s+)?school"
    r"|school\s+(?:camera|ipad|tablet|phone|photographer)|staff\s+camera)",
    re.IGNORECASE,
)


def describes_children(description: str) -> str | None:
    """The words in a picture's description that say it shows children, if any."""
    match = CHILDREN.search(description) if description else None
    return match.group() if match else None


def _degrees(value: object, ref: object) -> float | None:
    """EXIF degrees, minutes, seconds (rationals) as signed decimal degrees."""
    try:
        parts = [float(part) for part in value]  # type: ignore[attr-defined]
        degrees = parts[0] + (parts[1] if len(parts) > 1 else 0.0) / 60
        degrees += (parts[2] if len(parts) > 2 else 0.0) / 3600
    except (TypeError, ValueError, ZeroDivisionError, IndexError):
        return None
    if not math.isfinite(degrees):
        return None
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "replace")
    if isinstance(ref, str) and ref.strip().upper() in ("S", "W"):
        degrees = -degrees
    return round(degrees, 6)


def gps_position(image: Image) -> tuple[float | None, float | None] | None:
    """(latitude, longitude) from the picture's EXIF GPS block; None when it has none.

    Coordinates that cannot be read are None, but a GPS block that names a latitude and a
    longitude still counts as location metadata.
    """
    if image.data is None and image.path is None:
        return None
    from PIL import Image as PILImage
    from PIL.ExifTags import GPS, IFD

    source = BytesIO(image.data) if image.data is not None else image.path
    try:
        with PILImage.open(source) as picture:  # type: ignore[arg-type]
            gps = picture.getexif().get_ifd(IFD.GPSInfo)
    except Exception:  # an unreadable or truncated picture carries no metadata we can see
        return None
    if GPS.GPSLatitude not in gps or GPS.GPSLongitude not in gps:
        return None
    return (_degrees(gps[GPS.GPSLatitude], gps.get(GPS.GPSLatitudeRef)),
            _degrees(gps[GPS.GPSLongitude], gps.get(GPS.GPSLongitudeRef)))


def _host(address: str) -> str | None:
    if "://" not in address and not address.startswith("//"):
        if "/" not in address and "." not in address:
            return None
        address = "//" + address
    try:
        host = urlsplit(address).hostname
    except ValueError:
        return None
    if not host or "." not in host or " " in host:
        return None
    return host.removeprefix("www.")


@register
class ImagesDetector(Detector):
    name = "images"
    emits = ("image.children", "image.logo", "image.at_work", "image.uncredited",
             "image.location")

    def __init__(self, school: School) -> None:
        super().__init__(school)
        names = sorted({n.lower() for n in (school.name, *school.aliases) if n}, key=len,
                       reverse=True)
        alternatives = "|".join(
            [r"school(?:['’]s)?", r"our", r"the\s+school(?:['’]s)?",
             *(re.escape(name).replace(r"\ ", r"\s+") + r"(?:['’]s)?" for name in names)])
        self._logo = re.compile(rf"\b(?:{alternatives})\s+(?:logo|crest|badge|emblem)\b",
                                re.IGNORECASE)
        self._school_names = frozenset(names)
        self._school_host = _host(school.website) if school.website else None

    def detect(self, doc: Document) -> list[Signal]:
        post = doc.post
        if not post.images:
            return []
        signals: list[Signal] = []
        for index, image in enumerate(post.images):
            signals.extend(self._picture(index, image, doc))
        return signals

    def _picture(self, index: int, image: Image, doc: Document) -> list[Signal]:
        label = f"picture {index + 1}"
        description = image.description
        found = []

        if image.shows_children:
            found.append(self._emit(index, image, "image.children", DECLARED,
                                    f"{label} is declared to show children"))
        elif image.shows_children is None and (words := describes_children(description)):
            found.append(self._emit(index, image, "image.children", DESCRIBED,
                                    f"{label} is described as showing children ('{words}')"))

        if image.contains_logo:
            found.append(self._emit(index, image, "image.logo", DECLARED,
                                    f"{label} is declared to contain the school logo"))
        elif image.contains_logo is None and (logo := self._logo.search(description)):
            found.append(self._emit(index, image, "image.logo", DESCRIBED,
                                    f"{label} is described as showing the school logo "
                                    f"('{logo.group()}')"))

        if image.taken_at_work:
            found.append(self._emit(index, image, "image.at_work", DECLARED,
                                    f"{label} is declared to have been taken at work"))
        elif image.taken_at_work is None and (place := AT_WORK.search(description)):
            found.append(self._emit(index, image, "image.at_work", DESCRIBED,
                                    f"{label} is described as taken at work "
                                    f"('{place.group()}')"))

        source = (image.source or "").strip()
        if (source and not self._own_source(source, doc)
                and not CREDIT.search(description) and not CREDIT.search(doc.text)):
            shown = source if len(source) <= 80 else source[:77] + "..."
            found.append(self._emit(index, image, "image.uncredited", 0.9,
                                    f"{label} comes from {shown} and no credit or permission "
                                    "is given", source=source))

        position = gps_position(image)
        if position is not None:
            latitude, longitude = position
            at = (f" ({latitude:.5f}, {longitude:.5f})"
                  if latitude is not None and longitude is not None else "")
            found.append(self._emit(index, image, "image.location", DECLARED,
                                    f"{label} carries GPS location metadata{at} that shows "
                                    "where it was taken; remove it before posting",
                                    latitude=latitude, longitude=longitude))
        return found

    def _emit(self, index: int, image: Image, kind: str, score: float, why: str,
              **extra: object) -> Signal:
        signal = self.signal(kind, score, why, index=index, path=image.path)
        signal.data.update(extra)
        return signal

    def _own_source(self, source: str, doc: Document) -> bool:
        """Whether the source names the poster or the school rather than someone else."""
        lower = " ".join(source.lower().split())
        if OWN_SOURCE.fullmatch(lower) or lower in self._school_names:
            return True
        host = _host(lower)
        if host is not None:
            school = self._school_host
            return school is not None and (host == school or host.endswith("." + school))
        poster = self.school.find(doc.post.author)
        return poster is not None and self.school.find(lower) is poster
